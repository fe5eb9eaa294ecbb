/**
 * Where bench:platform's users live: in the bench's own process while they fit its open-files limit, else spread
 * over load generator processes (bench/platform-generator.ts; how many: bench/platform-generator-shares.ts). Both
 * kinds answer to one `Generator` interface, so the load (bench/platform-load.ts) drives them alike. Every generator
 * process is registered with platform-children.ts, so none outlives the bench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackChild } from './platform-children.js';
import type { GeneratorReply, GeneratorRequest } from './platform-generator.js';
import { machineNow, UserGroup, type GroupReport, type GroupSpec, type GroupWindow } from './platform-user-group.js';

export interface Generator {
  readonly pid: number;
  readonly size: number;
  offer(rate: number): Promise<void>;
  startWindow(): Promise<void>;
  endWindow(): Promise<GroupWindow>;
  report(): Promise<GroupReport>;
  drain(): Promise<void>;
  close(): void;
}

/** Users in the bench's own process (the designers' process: its CPU is counted once, as the bench's). */
class InProcessGenerator implements Generator {
  readonly pid = process.pid;
  constructor(private readonly group: UserGroup) {}
  get size() {
    return this.group.size;
  }
  async offer(rate: number) {
    this.group.offer(rate);
  }
  async startWindow() {
    this.group.startWindow();
  }
  async endWindow() {
    return this.group.endWindow();
  }
  async report() {
    return this.group.report();
  }
  drain() {
    return this.group.drain();
  }
  close() {
    this.group.close();
  }
}

type Request = GeneratorRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A generator process, asked over IPC. */
class ProcessGenerator implements Generator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly child: ChildProcess,
    readonly size: number,
  ) {
    child.on('message', (reply: GeneratorReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.value);
      else waiter?.reject(new Error(reply.error));
    });
    child.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`a load generator process (pid ${child.pid}) exited with ${code ?? signal} during the run`));
      this.pending.clear();
    });
  }

  get pid() {
    return this.child.pid!;
  }

  ask<T>(request: Request): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...request, id });
    });
  }

  offer(rate: number) {
    return this.ask<void>({ type: 'offer', rate });
  }
  startWindow() {
    return this.ask<void>({ type: 'start-window' });
  }
  endWindow() {
    return this.ask<GroupWindow>({ type: 'end-window' });
  }
  report() {
    return this.ask<GroupReport>({ type: 'report' });
  }
  drain() {
    return this.ask<void>({ type: 'drain' });
  }
  close() {
    if (this.child.exitCode === null && this.child.signalCode === null) void this.ask({ type: 'close' }).catch(() => {});
  }
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The offset of a generator's clock from this process's (ms), asked when both are idle: a user→designer latency
 * compares a send time taken there with a receipt time taken here, so they must agree.
 */
async function clockOffset(generator: ProcessGenerator): Promise<{ offset: number; uncertainty: number }> {
  let best = { offset: 0, uncertainty: Infinity };
  for (let i = 0; i < 5; i++) {
    const before = machineNow();
    const theirs = await generator.ask<number>({ type: 'clock' });
    const after = machineNow();
    if ((after - before) / 2 < best.uncertainty) best = { offset: theirs - (before + after) / 2, uncertainty: (after - before) / 2 };
  }
  return best;
}

async function startProcess(spec: GroupSpec): Promise<ProcessGenerator> {
  const child = fork(join(here, 'platform-generator.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  trackChild(child);
  const generator = new ProcessGenerator(child, spec.count);
  await generator.ask({ type: 'open', spec });
  const { offset, uncertainty } = await clockOffset(generator);
  // Node takes timeOrigin from the system clock once, at start: processes started seconds apart agree to well under a millisecond.
  if (Math.abs(offset) - uncertainty > 1) throw new Error(`load generator pid ${child.pid}: its clock is ${offset.toFixed(1)} ms off this process's (±${uncertainty.toFixed(1)}): user→designer latencies would be off by as much`);
  process.stderr.write(`  load generator pid ${child.pid}: users ${spec.first}-${spec.first + spec.count - 1}, clock offset ${offset.toFixed(2)} ms (±${uncertainty.toFixed(2)})\n`);
  return generator;
}

/**
 * Opens every user of `specs`: in this process when `processes` is 0 (then `specs` is one share), else one process a
 * share, all at once. Rejects with the Platform's reason when a user is refused.
 */
export async function startGenerators(specs: GroupSpec[], processes: number): Promise<Generator[]> {
  if (processes === 0) {
    const group = new UserGroup(specs[0]!);
    const generator = new InProcessGenerator(group);
    try {
      await group.open();
    } catch (error) {
      group.close();
      throw error;
    }
    return [generator];
  }
  const started = await Promise.allSettled(specs.map(startProcess));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of started) if (s.status === 'fulfilled') s.value.close();
    throw failed.reason;
  }
  return started.map((s) => (s as PromiseFulfilledResult<ProcessGenerator>).value);
}
