/**
 * One bench:platform load: the users and the 5 designers connected to a configuration's Platform instances, and
 * the offered rate of user messages measured step by step on them. Users are spread over the instances in turn and
 * so are the designers, so with 2 or more instances every user message also reaches designers on an instance other
 * than its user's: the user→designer figure includes the cross-instance path (and it is also reported alone).
 * The designers live in this process; the users here too while they fit, else in load generator processes
 * (bench/platform-generators.ts), each at its share of the offered rate.
 */
import { loadavg } from 'node:os';
import type WebSocket from 'ws';
import { shares } from './platform-generator-shares.js';
import { startGenerators, type Generator } from './platform-generators.js';
import { ask, type Instance, type Measured } from './platform-instances.js';
import { machineNow, OPEN_IN_FLIGHT, readMeasuredClientId, type GroupSpec } from './platform-user-group.js';
import { open, type Transport } from './platform-users.js';
import { postgresCpuSeconds } from './postgres-cpu.js';

export type { Transport } from './platform-users.js';

/** One process of the load generator and its CPU over the window, % of one core. */
export interface GeneratorCpu {
  pid: number;
  /** This process: the designers (and the users, when they are here). */
  bench: boolean;
  cpuPercent: number;
}

export interface Step {
  offered: number;
  /** Answered user messages per second over the window. */
  sustained: number;
  /** Sorted, ms: user's send to the bot's reply. */
  botLatency: number[];
  /** Sorted, ms: user's send to each designer receiving it (WebSocket only). */
  designer: number[];
  /** Sorted, ms: the deliveries to designers on another instance than the user's. */
  crossDesigner: number[];
  /** Per Platform instance, in order. */
  instances: Measured[];
  /** The load generator, % of one core: the sum over its processes (this one and the generator processes). */
  generatorCpu: number;
  generatorCpus: GeneratorCpu[];
  /** Users still holding their conversation at the end of the window (a WebSocket user: its socket open). */
  held: number;
  /** PostgreSQL's processes, % of one core, when the server is on this machine. */
  postgresCpu: number | undefined;
  /** The machine's 1-minute load average at the end of the window (other work competes for the cores). */
  machineLoad: number;
  errors: Record<string, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Load {
  private designerLatency: number[] = [];
  private crossLatency: number[] = [];
  private measuring = false;
  private generators: Generator[] = [];

  private constructor(
    private readonly instances: Instance[],
    private readonly designers: WebSocket[],
    private readonly postmaster: number | undefined,
  ) {}

  /**
   * Connects the designers, then `conversations` users over `generatorProcesses` processes (0: in this one); each
   * WebSocket user starts its conversation first (not measured): this is "concurrent conversations". A refusal
   * ends the run at once with the Platform's reason.
   */
  static async open(instances: Instance[], conversations: number, transport: Transport, postmaster: number | undefined, generatorProcesses = 0): Promise<Load> {
    const first = instances[0]!.ready;
    const bases = instances.map((i) => i.ready.url.replace(/^http/, 'ws'));
    const load = new Load(instances, [], postmaster);
    // Designers on the instances in turn, starting with the second: with 2 instances the first designer is already
    // on another instance than user 0's.
    const designers = await Promise.all(first.designers.map((token, i) => load.connectDesigner(token, (i + 1) % instances.length, bases)));
    load.designers.push(...designers);
    const addresses = instances.map((i, at) => ({ ws: bases[at]!, talk: `${i.ready.url}/talk/${first.api.appId}/${first.bot}` }));
    const parts = shares(conversations, generatorProcesses);
    const openInFlight = Math.ceil(OPEN_IN_FLIGHT / parts.length);
    const specs: GroupSpec[] = parts.map((share, index) => ({ index, ...share, transport, instances: addresses, userKey: first.api.userKey, openInFlight }));
    try {
      load.generators = await startGenerators(specs, generatorProcesses);
    } catch (error) {
      load.close();
      throw error;
    }
    return load;
  }

  private async connectDesigner(token: string, instance: number, bases: string[]): Promise<WebSocket> {
    const ws = await open(`${bases[instance]}/ws/designer`, { Authorization: `Bearer ${token}` });
    ws.on('message', (data) => {
      if (!this.measuring) return;
      const received = machineNow();
      const f = JSON.parse(data.toString()) as { type: string; event?: { type: string; message?: { author: string; clientId?: string } } };
      if (f.type !== 'event' || f.event?.type !== 'message.created' || f.event.message?.author !== 'user') return;
      // Only messages sent in the window carry their send time (and their user's instance).
      const sent = readMeasuredClientId(f.event.message.clientId);
      if (sent === undefined) return;
      const ms = received - sent.sentAt;
      this.designerLatency.push(ms);
      if (sent.instance !== instance) this.crossLatency.push(ms);
    });
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, resume: {} }));
    return ws;
  }

  /**
   * Offers `rate` messages per second, once the previous step's messages are answered: unmeasured for `warmupSeconds` (JIT, first allocations, the queue of the
   * previous rate draining), then measured for `seconds`. Each generator offers its share of the rate (by its share
   * of the users), in its own closed loop.
   */
  async step(rate: number, warmupSeconds: number, seconds: number): Promise<Step> {
    const total = this.generators.reduce((sum, g) => sum + g.size, 0);
    await Promise.all(this.generators.map((g) => g.drain()));
    this.designerLatency = [];
    this.crossLatency = [];
    await Promise.all(this.generators.map((g) => g.offer((rate * g.size) / total)));
    await wait(warmupSeconds * 1000);
    await Promise.all(this.instances.map((i) => ask(i.child, 'measure-start', 'measure-started')));
    const postgresAtStart = { cpu: this.postmaster === undefined ? undefined : postgresCpuSeconds(this.postmaster), at: performance.now() };
    const started = performance.now();
    const benchCpu = process.cpuUsage();
    this.measuring = true;
    await Promise.all(this.generators.map((g) => g.startWindow()));
    await wait(seconds * 1000);
    const windows = await Promise.all(this.generators.map((g) => g.endWindow()));
    const elapsed = (performance.now() - started) / 1000;
    const benchUsage = process.cpuUsage(benchCpu);
    // Let in-flight replies arrive before the window closes for CPU; they count for latency, not for the rate.
    await wait(1000);
    this.measuring = false;
    const instances = await Promise.all(this.instances.map((i) => ask<Measured>(i.child, 'measure-stop', 'measured')));
    // Over the same window as the instances' CPU (the in-flight second included).
    const postgresAtEnd = this.postmaster === undefined ? undefined : postgresCpuSeconds(this.postmaster);
    const postgresSeconds = (performance.now() - postgresAtStart.at) / 1000;
    const reports = await Promise.all(this.generators.map((g) => g.report()));
    const errors: Record<string, number> = {};
    for (const r of reports) for (const [code, n] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + n;
    const generatorCpus: GeneratorCpu[] = [
      { pid: process.pid, bench: true, cpuPercent: ((benchUsage.user + benchUsage.system) / 1e6 / elapsed) * 100 },
      ...windows.filter((w) => w.pid !== process.pid).map((w) => ({ pid: w.pid, bench: false, cpuPercent: (w.cpuSeconds / w.seconds) * 100 })),
    ];
    return {
      offered: rate,
      sustained: windows.reduce((sum, w) => sum + w.acked / w.seconds, 0),
      botLatency: reports.flatMap((r) => r.botLatency).sort((a, b) => a - b),
      designer: this.designerLatency.sort((a, b) => a - b),
      crossDesigner: this.crossLatency.sort((a, b) => a - b),
      instances,
      generatorCpu: generatorCpus.reduce((sum, g) => sum + g.cpuPercent, 0),
      generatorCpus,
      held: windows.reduce((sum, w) => sum + w.held, 0),
      postgresCpu: postgresAtStart.cpu !== undefined && postgresAtEnd !== undefined ? ((postgresAtEnd - postgresAtStart.cpu) / postgresSeconds) * 100 : undefined,
      machineLoad: loadavg()[0]!,
      errors,
    };
  }

  close(): void {
    for (const g of this.generators) g.close();
    for (const d of this.designers) d.terminate();
  }
}
