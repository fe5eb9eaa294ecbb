/**
 * A share of bench:platform's users and the closed loop that drives them at its share of the offered rate. The same
 * loop runs in the bench's own process (few users) or in a load generator process of its own
 * (bench/platform-generator.ts), so one process's open-files limit does not cap the number of conversations.
 *
 * Each message says in its clientId whether it was sent in the measured window, when (`performance.timeOrigin +
 * performance.now()`: one clock for every process of one machine) and to which instance: the designers, in the
 * bench's own process, read the latency off the event they receive, with no lookup across processes.
 */
import { RestUser, SocketUser, type Transport, type User } from './platform-users.js';

/** Where one Platform instance takes users: its WebSocket base and its REST talk URL. */
export interface InstanceAddress {
  ws: string;
  talk: string;
}

/** Which users a group holds and how they talk: users `first` to `first + count - 1` of the whole run. */
export interface GroupSpec {
  /** The group's number (in its messages' clientIds, so two groups never send the same one). */
  index: number;
  first: number;
  count: number;
  transport: Transport;
  instances: InstanceAddress[];
  userKey: string;
  /** Users this group opens at once (its part of `OPEN_IN_FLIGHT`). */
  openInFlight: number;
}

/**
 * Users being opened at once over all groups. Each opening is a handshake, a hello and a first message that starts a
 * conversation in storage; 3 generators opening 500 each at once once queued so much work on 2 PostgreSQL instances
 * that a first message waited past the pool's 10 s and was refused ("could not be stored"). A bounded number in
 * flight keeps each one's wait short and still opens 20,000 in about a minute.
 */
export const OPEN_IN_FLIGHT = 200;

/** What a group did in the measured window, taken when the window ends. */
export interface GroupWindow {
  pid: number;
  /** Messages sent in the window and answered before it ended. */
  acked: number;
  /** The window as this group saw it (it starts and ends on the bench's word, a little after the bench). */
  seconds: number;
  /** This process's CPU time over the window (user + system). */
  cpuSeconds: number;
  /** Users still holding their conversation when the window ended. */
  held: number;
}

/** What a group measured, taken once the window's in-flight replies have had their time. */
export interface GroupReport {
  /** Unsorted, ms: user's send to the bot's reply, for messages sent in the window. */
  botLatency: number[];
  errors: Record<string, number>;
}

/** A message's send time, on the clock every process of this machine shares (ms since the epoch, fractional). */
export const machineNow = () => performance.timeOrigin + performance.now();

/** A measured message's clientId: `m<group>-<counter>.<instance>.<sent at>` (at most 64 characters). */
export function measuredClientId(group: number, counter: number, instance: number, sentAt: number): string {
  return `m${group}-${counter}.${instance}.${sentAt.toFixed(3)}`;
}

/** The user's instance and send time of a measured message's clientId; undefined for any other clientId. */
export function readMeasuredClientId(clientId: string | undefined): { instance: number; sentAt: number } | undefined {
  const match = /^m\d+-\d+\.(\d+)\.(\d+\.\d+)$/.exec(clientId ?? '');
  if (!match) return undefined;
  return { instance: Number(match[1]), sentAt: Number(match[2]) };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class UserGroup {
  private readonly users: User[] = [];
  private readonly errors = new Map<string, number>();
  private botLatency: number[] = [];
  private tick: NodeJS.Timeout | undefined;
  private inWindow = false;
  private acked = 0;
  private windowStarted = 0;
  private windowCpu = process.cpuUsage();
  private counter = 0;
  private cursor = 0;
  /** Users opened so far (progress while opening thousands). */
  opened = 0;

  constructor(private readonly spec: GroupSpec) {
    const count = (code: string) => this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    const { instances } = spec;
    for (let n = spec.first; n < spec.first + spec.count; n++) {
      const at = n % instances.length;
      this.users.push(spec.transport === 'ws' ? new SocketUser(n, at, instances[at]!.ws, count) : new RestUser(n, at, instances[at]!.talk, spec.userKey, count));
    }
  }

  get size(): number {
    return this.users.length;
  }

  /**
   * Connects the users; each WebSocket user starts its conversation first (not measured): this is "concurrent
   * conversations". A refusal rejects at once with the Platform's reason.
   */
  async open(): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < this.users.length) await this.openUser(this.users[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, this.spec.openInFlight) }, lane));
  }

  private async openUser(u: User): Promise<void> {
    await u.connect();
    // (REST users start theirs with their first call: a call each up front would spend the plan's talk calls.)
    if (this.spec.transport !== 'ws') {
      this.opened += 1;
      return;
    }
    await new Promise<void>((resolve, reject) =>
      u.send(`w${u.n}`, 'Hello', (outcome) => (outcome.ok ? resolve() : reject(new Error(`warm-up: user ${u.n}'s first message was refused: ${outcome.error}`)))),
    );
    this.opened += 1;
  }

  /**
   * Offers `rate` messages per second from now on (unmeasured until `startWindow`). Closed loop: the next idle
   * users in turn send one message each; a busy user is skipped, never queued.
   */
  offer(rate: number): void {
    this.stopOffering();
    this.errors.clear();
    this.botLatency = [];
    this.acked = 0;
    this.inWindow = false;
    let credit = 0;
    let last = performance.now();
    this.tick = setInterval(() => {
      const now = performance.now();
      credit += ((now - last) / 1000) * rate;
      last = now;
      for (let scanned = 0; credit >= 1 && scanned < this.users.length; scanned++) {
        const u = this.users[this.cursor]!;
        this.cursor = (this.cursor + 1) % this.users.length;
        if (u.busy) continue;
        this.counter += 1;
        const measured = this.inWindow;
        const clientId = measured ? measuredClientId(this.spec.index, this.counter, u.instance, machineNow()) : `w${this.spec.index}-${this.counter}`;
        u.send(clientId, this.counter % 3 ? 'Hello' : 'Who are you', (outcome) => {
          if (!measured || !outcome.ok) return;
          if (this.inWindow) this.acked += 1;
          this.botLatency.push(outcome.ms);
        });
        credit -= 1;
      }
      // No catch-up bursts when the users are all busy; at least one message, or a group's small share of a low
      // rate (under 10/s) would never reach a whole message and offer nothing.
      credit = Math.min(credit, Math.max(1, rate / 10));
    }, 5);
  }

  startWindow(): void {
    this.acked = 0;
    this.windowStarted = performance.now();
    this.windowCpu = process.cpuUsage();
    this.inWindow = true;
  }

  /** Ends the window and stops offering; replies still in flight count for latency (`report`), not for the rate. */
  endWindow(): GroupWindow {
    this.stopOffering();
    this.inWindow = false;
    const cpu = process.cpuUsage(this.windowCpu);
    return {
      pid: process.pid,
      acked: this.acked,
      seconds: (performance.now() - this.windowStarted) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      held: this.users.filter((u) => u.held).length,
    };
  }

  report(): GroupReport {
    return { botLatency: this.botLatency, errors: Object.fromEntries(this.errors) };
  }

  /**
   * Waits (up to a minute) until every user has its reply: a backlog left by an overloaded step would otherwise
   * be measured as the next step's latency.
   */
  async drain(): Promise<void> {
    const deadline = performance.now() + 60_000;
    while (this.users.some((u) => u.busy) && performance.now() < deadline) await wait(50);
  }

  close(): void {
    this.stopOffering();
    for (const u of this.users) u.close();
  }

  private stopOffering(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = undefined;
  }
}
