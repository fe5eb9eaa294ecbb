/**
 * One bench:platform load: the users and the 5 designers connected to a configuration's Platform instances, and
 * the offered rate of user messages measured step by step on them. Users are spread over the instances in turn and
 * so are the designers, so with 2 or more instances every user message also reaches designers on an instance other
 * than its user's: the user→designer figure includes the cross-instance path (and it is also reported alone).
 */
import { loadavg } from 'node:os';
import type WebSocket from 'ws';
import { ask, type Instance, type Measured } from './platform-instances.js';
import { open, RestUser, SocketUser, type User } from './platform-users.js';
import { postgresCpuSeconds } from './postgres-cpu.js';

export type Transport = 'ws' | 'rest';

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
  /** The load generator (this process), % of one core. */
  generatorCpu: number;
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

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Load {
  private readonly errors = new Map<string, number>();
  private readonly sentAt = new Map<string, { at: number; instance: number }>();
  private designerLatency: number[] = [];
  private crossLatency: number[] = [];
  private measuring = false;
  private counter = 0;
  private cursor = 0;

  private constructor(
    private readonly instances: Instance[],
    private readonly users: User[],
    private readonly designers: WebSocket[],
    private readonly postmaster: number | undefined,
  ) {}

  /**
   * Connects `conversations` users and the designers; each WebSocket user starts its conversation first (not
   * measured): this is "concurrent conversations". A refusal ends the run at once with the Platform's reason.
   */
  static async open(instances: Instance[], conversations: number, transport: Transport, postmaster: number | undefined): Promise<Load> {
    const first = instances[0]!.ready;
    const bases = instances.map((i) => i.ready.url.replace(/^http/, 'ws'));
    const users: User[] = [];
    const load = new Load(instances, users, [], postmaster);
    const count = (code: string) => load.errors.set(code, (load.errors.get(code) ?? 0) + 1);
    for (let n = 0; n < conversations; n++) {
      const at = n % instances.length;
      users.push(transport === 'ws' ? new SocketUser(n, at, bases[at]!, count) : new RestUser(n, at, `${instances[at]!.ready.url}/talk/${first.api.appId}/${first.bot}`, first.api.userKey, count));
    }
    // Designers on the instances in turn, starting with the second: with 2 instances the first designer is already
    // on another instance than user 0's.
    const designers = await Promise.all(first.designers.map((token, i) => load.connectDesigner(token, (i + 1) % instances.length, bases)));
    load.designers.push(...designers);
    await inBatches(users, 200, (u) => u.connect());
    // (REST users start theirs with their first call: a call each up front would spend the plan's talk calls.)
    if (transport === 'ws') {
      await inBatches(users, 500, (u) =>
        new Promise<void>((resolve, reject) =>
          u.send(`w${u.n}`, 'Hello', (outcome) => (outcome.ok ? resolve() : reject(new Error(`warm-up: user ${u.n}'s first message was refused: ${outcome.error}`)))),
        ),
      );
    }
    return load;
  }

  private async connectDesigner(token: string, instance: number, bases: string[]): Promise<WebSocket> {
    const ws = await open(`${bases[instance]}/ws/designer`, { Authorization: `Bearer ${token}` });
    ws.on('message', (data) => {
      if (!this.measuring) return;
      const f = JSON.parse(data.toString()) as { type: string; event?: { type: string; message?: { author: string; clientId?: string } } };
      if (f.type !== 'event' || f.event?.type !== 'message.created' || f.event.message?.author !== 'user') return;
      const sent = this.sentAt.get(f.event.message.clientId ?? '');
      if (sent === undefined) return;
      const ms = performance.now() - sent.at;
      this.designerLatency.push(ms);
      if (sent.instance !== instance) this.crossLatency.push(ms);
    });
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, resume: {} }));
    return ws;
  }

  /**
   * Offers `rate` messages per second, once the previous step's messages are answered: unmeasured for `warmupSeconds` (JIT, first allocations, the queue of the
   * previous rate draining), then measured for `seconds`. Closed loop: a busy user is skipped, never queued.
   */
  async step(rate: number, warmupSeconds: number, seconds: number): Promise<Step> {
    await this.drain();
    this.errors.clear();
    this.sentAt.clear();
    this.designerLatency = [];
    this.crossLatency = [];
    const botLatency: number[] = [];
    let acked = 0;
    let started = performance.now();
    const warmupEnds = started + warmupSeconds * 1000;
    let inWindow = false;
    let credit = 0;
    let last = started;
    let generatorCpu = process.cpuUsage();
    let postgresAtStart: { cpu: number | undefined; at: number } = { cpu: undefined, at: 0 };
    const startWindow = async () => {
      await Promise.all(this.instances.map((i) => ask(i.child, 'measure-start', 'measure-started')));
      postgresAtStart = { cpu: this.postmaster === undefined ? undefined : postgresCpuSeconds(this.postmaster), at: performance.now() };
      started = performance.now();
      generatorCpu = process.cpuUsage();
      this.measuring = true;
      inWindow = true;
    };
    if (warmupSeconds === 0) await startWindow();
    let opening = false;
    await new Promise<void>((resolve, reject) => {
      const tick = setInterval(() => {
        const now = performance.now();
        credit += ((now - last) / 1000) * rate;
        last = now;
        // Offer the rate: the next idle users in turn send one message each.
        for (let scanned = 0; credit >= 1 && scanned < this.users.length; scanned++) {
          const u = this.users[this.cursor]!;
          this.cursor = (this.cursor + 1) % this.users.length;
          if (u.busy) continue;
          const clientId = `b${++this.counter}`;
          const measured = inWindow;
          if (measured) this.sentAt.set(clientId, { at: performance.now(), instance: u.instance });
          u.send(clientId, this.counter % 3 ? 'Hello' : 'Who are you', (outcome) => {
            if (!measured || !outcome.ok) return;
            acked += 1;
            botLatency.push(outcome.ms);
          });
          credit -= 1;
        }
        credit = Math.min(credit, rate / 10); // no catch-up bursts when the users are all busy
        if (!inWindow && !opening && now >= warmupEnds) {
          opening = true;
          startWindow().catch((error: unknown) => {
            clearInterval(tick);
            reject(error as Error);
          });
        }
        if (inWindow && now - started >= seconds * 1000) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const elapsed = (performance.now() - started) / 1000;
    const generatorUsage = process.cpuUsage(generatorCpu);
    // Let in-flight replies arrive before the window closes for CPU; they count for latency, not for the rate.
    const ackedInWindow = acked;
    await wait(1000);
    this.measuring = false;
    const instances = await Promise.all(this.instances.map((i) => ask<Measured>(i.child, 'measure-stop', 'measured')));
    // Over the same window as the instances' CPU (the in-flight second included).
    const postgresAtEnd = this.postmaster === undefined ? undefined : postgresCpuSeconds(this.postmaster);
    const postgresSeconds = (performance.now() - postgresAtStart.at) / 1000;
    return {
      offered: rate,
      sustained: ackedInWindow / elapsed,
      botLatency: botLatency.sort((a, b) => a - b),
      designer: this.designerLatency.sort((a, b) => a - b),
      crossDesigner: this.crossLatency.sort((a, b) => a - b),
      instances,
      generatorCpu: ((generatorUsage.user + generatorUsage.system) / 1e6 / elapsed) * 100,
      postgresCpu: postgresAtStart.cpu !== undefined && postgresAtEnd !== undefined ? ((postgresAtEnd - postgresAtStart.cpu) / postgresSeconds) * 100 : undefined,
      machineLoad: loadavg()[0]!,
      errors: Object.fromEntries(this.errors),
    };
  }

  /**
   * Waits (up to a minute) until every user has its reply: a backlog left by an overloaded step would otherwise
   * be measured as the next step's latency.
   */
  private async drain(): Promise<void> {
    const deadline = performance.now() + 60_000;
    while (this.users.some((u) => u.busy) && performance.now() < deadline) await wait(50);
  }

  close(): void {
    for (const u of this.users) u.close();
    for (const d of this.designers) d.terminate();
  }
}
