/**
 * `npm run bench:flood [-- --runs 5 --users 40 --think-ms 1000 --quiet-seconds 3 --flooder-nice 19]`
 *
 * The two floods of issue 10 against a real Platform (its own process, default limits, fresh data dir), on loopback:
 * - "300 sockets x 10 messages": one client opens 300 chat sockets with the same session and sends 10 messages on
 *   each, without waiting for anything;
 * - "100 reconnects x 10 messages": one client connects with the same session 100 times in a row, sends 10
 *   messages, waits for their answers and reconnects at once.
 * Meanwhile `users` ordinary users (another address) chat with the bot, each sending its next message `think-ms`
 * after the bot answered the last, and two probes poll `GET /healthz` every 20 ms (one on a kept-alive connection, one
 * on a new connection per request). A row with no flood comes first.
 * Reported per scenario: the flooder's messages sent / stored (counted in the Platform, through a designer) /
 * refused (answered with an error frame), its sockets turned away, the ordinary users' send-to-reply latency and
 * the /healthz latency (p50/p99/max over the flood window), the Platform's event-loop delay and CPU time over the
 * window (`BENCH_PROFILE_DIR=dir` writes its CPU profile), and the machine's load. Every step has a time limit and
 * the whole run stops itself after `limit-seconds`.
 *
 * One flood window holds only ~50 samples per probe, so one slow sample is its p99: each scenario runs `runs` times,
 * each on a fresh Platform, and a row pools every run's samples (p50 / p99 over all of them; max is the worst run's),
 * with each run's p99 / max of the new-connection probe listed under the table.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg, setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type { FloodOutcome } from './flood-client.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    users: { type: 'string', default: '40' },
    // An ordinary user sends about one message a second at most (the session allowance is 2/s after a burst of 10).
    'think-ms': { type: 'string', default: '1000' },
    'quiet-seconds': { type: 'string', default: '3' },
    'limit-seconds': { type: 'string', default: '900' },
    // The flooder shares this machine's two cores with the Platform, where a real one is on another machine: at the
    // lowest CPU priority (19) it cannot take the Platform's core; 0 runs it at the same priority as the Platform.
    'flooder-nice': { type: 'string', default: '19' },
  },
});
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`--runs must be a whole number of runs, 1 or more (got ${values.runs}).`);
  process.exit(2);
}
const USERS = Number(values.users);
const THINK_MS = Number(values['think-ms']);
const QUIET_SECONDS = Number(values['quiet-seconds']);
const FLOODER_NICE = Number(values['flooder-nice']);
const here = dirname(fileURLToPath(import.meta.url));
/** The flooder and the ordinary users come from different loopback addresses, as they would from the Internet. */
/** Each ordinary user has an address of its own (127.0.0.10 on), as on the Internet; the flooder's is 127.0.0.2. */
const userAddress = (n: number) => `127.0.${Math.floor((10 + n) / 250)}.${(10 + n) % 250}`;

const deadline = setTimeout(() => {
  console.error(`bench:flood did not finish within ${values['limit-seconds']} s: stopping.`);
  process.exit(1);
}, Number(values['limit-seconds']) * 1000);
deadline.unref();

interface Ready {
  type: 'ready';
  port: number;
  designer: string;
}

/** The flooder runs in its own process, so its own work does not delay the users' and the probe's timings. */
function runFlood(kind: 'many-sockets' | 'reconnects', port: number): Promise<FloodOutcome> {
  const child = fork(join(here, 'flood-client.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (FLOODER_NICE !== 0) setPriority(child.pid!, FLOODER_NICE);
  return new Promise((resolve, reject) => {
    child.once('message', (m) => {
      resolve(m as FloodOutcome);
      child.kill();
    });
    child.once('exit', (code) => reject(new Error(`the flooder exited with ${code}`)));
    child.send({ kind, port });
  });
}

function ask<T>(child: ChildProcess, type: string, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== reply) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send({ type });
  });
}

function startServer(): Promise<{ child: ChildProcess; ready: Ready }> {
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  const child = fork(join(here, 'flood-server.ts'), [], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ready: m as Ready }));
    child.once('exit', (code) => reject(new Error(`the Platform process exited with ${code}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.send({ type: 'stop' });
  });
}

function open(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, localAddress, handshakeTimeout: 10_000 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
  });
}

const newSession = () => randomBytes(18).toString('base64url');
const hello = (session: string) => JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget', session });

interface Frame {
  type: string;
  code?: string;
  clientId?: string;
  message?: { seq: number; from: string; clientId?: string };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One ordinary user in a closed loop: send, wait for the bot's reply, think, send again. */
class OrdinaryUser {
  private ws!: WebSocket;
  private ownSeq = -1;
  private sentAt = 0;
  private counter = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  readonly latencies: number[] = [];
  refused = 0;

  constructor(private readonly n: number) {}

  async start(base: string): Promise<void> {
    this.ws = await open(`${base}/ws/chat?bot=starter`, userAddress(this.n));
    const welcomed = new Promise<void>((resolve) => this.ws.once('message', () => resolve()));
    this.ws.send(hello(newSession()));
    await welcomed;
    this.ws.on('message', (data) => this.frame(JSON.parse(data.toString()) as Frame));
    // Spread the users over one think time so they do not send in lock-step.
    this.timer = setTimeout(() => this.send(), (this.n * THINK_MS) / USERS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws.terminate();
  }

  private send(): void {
    if (this.stopped) return;
    this.ownSeq = -1;
    this.sentAt = performance.now();
    this.ws.send(JSON.stringify({ type: 'send', clientId: `u${this.n}-${++this.counter}`, text: 'What is your name?' }));
  }

  private frame(f: Frame): void {
    if (f.type === 'error') {
      this.refused += 1;
      this.timer = setTimeout(() => this.send(), THINK_MS);
      return;
    }
    if (f.type !== 'message' || !f.message) return;
    if (f.message.from === 'user') this.ownSeq = f.message.seq;
    else if (this.ownSeq > 0 && f.message.seq === this.ownSeq + 1) {
      this.latencies.push(performance.now() - this.sentAt);
      this.ownSeq = -1;
      this.timer = setTimeout(() => this.send(), THINK_MS);
    }
  }
}

/**
 * Polls GET /healthz one request at a time, every 20 ms, recording how long each took: on one kept-alive connection
 * (as a load balancer's health check), or on a new connection each time (which also waits for the Platform to accept
 * every connection the flooder opened before it: the cost of the TCP accepts themselves).
 */
class HealthProbe {
  readonly latencies: number[] = [];
  private stopped = false;
  private done: Promise<void> | undefined;
  private readonly agent: Agent | false;

  constructor(connection: 'kept-alive' | 'new') {
    this.agent = connection === 'kept-alive' ? new Agent({ keepAlive: true, maxSockets: 1 }) : false;
  }

  start(port: number): void {
    const once = () =>
      new Promise<void>((resolve) => {
        const t0 = performance.now();
        const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: this.agent, timeout: 30_000 }, (res) => {
          res.resume();
          res.on('end', () => {
            this.latencies.push(performance.now() - t0);
            resolve();
          });
        });
        req.on('error', () => resolve());
        req.on('timeout', () => req.destroy());
        req.end();
      });
    this.done = (async () => {
      while (!this.stopped) {
        await once();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
    if (this.agent) this.agent.destroy();
  }
}

/** The flooder's user messages as the Platform stored them, counted through the designer API. */
async function storedMessages(base: string, token: string, marker: string): Promise<number> {
  const ws = await open(`${base}/ws/designer`, '127.0.0.1', { Authorization: `Bearer ${token}` });
  const pending = new Map<string, (f: { ok: boolean; result?: unknown; error?: { message: string } }) => void>();
  let synced: () => void;
  const ready = new Promise<void>((resolve) => (synced = resolve));
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as { type: string; id?: string; ok: boolean; result?: unknown; error?: { message: string } };
    if (f.type === 'synced') synced();
    if (f.type === 'response' && f.id) pending.get(f.id)?.(f);
  });
  let n = 0;
  const ask = <T>(method: string, params: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = `q${++n}`;
      pending.set(id, (f) => (f.ok ? resolve(f.result as T) : reject(new Error(f.error?.message))));
      ws.send(JSON.stringify({ type: 'request', id, method, params }));
    });
  ws.send(JSON.stringify({ type: 'hello', protocol: 1, resume: {} }));
  await ready;
  const { conversations } = await ask<{ conversations: { id: string }[] }>('conversation.list', { bot: 'starter', search: marker, limit: 10 });
  let stored = 0;
  for (const c of conversations) {
    const { messages } = await ask<{ messages: { author: string; text: string }[] }>('conversation.transcript', { conversationId: c.id, limit: 1000 });
    stored += messages.filter((m) => m.author === 'user' && m.text.startsWith(marker)).length;
  }
  ws.terminate();
  return stored;
}

interface Row {
  scenario: string;
  sent: number | string;
  stored: number | string;
  refused: number | string;
  letIn: number | string;
  turnedAway: number | string;
  users: number[];
  usersRefused: number;
  health: number[];
  freshHealth: number[];
  seconds: number;
  cpuMs: number;
  loopP99: number;
  loopMax: number;
  load: number;
}

async function scenario(name: string, flood?: 'many-sockets' | 'reconnects'): Promise<Row> {
  const { child, ready } = await startServer();
  const base = `ws://127.0.0.1:${ready.port}`;
  try {
    const users = Array.from({ length: USERS }, (_, i) => new OrdinaryUser(i));
    await Promise.all(users.map((u) => u.start(base)));
    // Let the users' first conversations start before measuring.
    await new Promise((r) => setTimeout(r, 1_000));
    await ask(child, 'measure-start', 'measure-started');
    const probe = new HealthProbe('kept-alive');
    const freshProbe = new HealthProbe('new');
    probe.start(ready.port);
    freshProbe.start(ready.port);
    const usersBefore = users.map((u) => u.latencies.length);
    const t0 = performance.now();
    const outcome = flood ? await runFlood(flood, ready.port) : (await new Promise((r) => setTimeout(r, QUIET_SECONDS * 1000)), undefined);
    // What the flood left queued (bot replies, broadcasts) is part of it.
    await new Promise((r) => setTimeout(r, 500));
    const seconds = (performance.now() - t0) / 1000;
    await probe.stop();
    await freshProbe.stop();
    const loop = await ask<{ cpuMs: number; loopDelayP99Ms: number; loopDelayMaxMs: number }>(child, 'measure-stop', 'measured');
    const userLatencies = users.flatMap((u, i) => u.latencies.slice(usersBefore[i]));
    const usersRefused = users.reduce((n, u) => n + u.refused, 0);
    for (const u of users) u.stop();
    const stored = outcome ? await storedMessages(base, ready.designer, outcome.marker) : '-';
    return {
      scenario: name,
      sent: outcome?.sent ?? '-',
      stored,
      refused: outcome?.refused ?? '-',
      letIn: outcome?.socketsLetIn ?? '-',
      turnedAway: outcome?.socketsTurnedAway ?? '-',
      users: userLatencies.sort((a, b) => a - b),
      usersRefused,
      health: probe.latencies.sort((a, b) => a - b),
      freshHealth: freshProbe.latencies.sort((a, b) => a - b),
      seconds,
      cpuMs: loop.cpuMs,
      loopP99: loop.loopDelayP99Ms,
      loopMax: loop.loopDelayMaxMs,
      load: loadavg()[0]!,
    };
  } finally {
    await stopServer(child);
  }
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));
const triple = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 99))} / ${ms(xs.at(-1) ?? NaN)}`;

/** Every run of one scenario as one row: samples pooled, counts shown as their range, the worst run's loop delay. */
function pooled(runs: Row[]): Row & { runs: number; perRunFresh: string } {
  const range = (values: Array<number | string>) => {
    const numbers = values.filter((v): v is number => typeof v === 'number');
    if (numbers.length !== values.length) return values[0]!;
    const [lo, hi] = [Math.min(...numbers), Math.max(...numbers)];
    return lo === hi ? lo : `${lo}–${hi}`;
  };
  const all = (pick: (r: Row) => number[]) => runs.flatMap(pick).sort((a, b) => a - b);
  const mean = (pick: (r: Row) => number) => runs.reduce((n, r) => n + pick(r), 0) / runs.length;
  return {
    scenario: runs[0]!.scenario,
    runs: runs.length,
    sent: range(runs.map((r) => r.sent)),
    stored: range(runs.map((r) => r.stored)),
    refused: range(runs.map((r) => r.refused)),
    letIn: range(runs.map((r) => r.letIn)),
    turnedAway: range(runs.map((r) => r.turnedAway)),
    users: all((r) => r.users),
    usersRefused: runs.reduce((n, r) => n + r.usersRefused, 0),
    health: all((r) => r.health),
    freshHealth: all((r) => r.freshHealth),
    seconds: mean((r) => r.seconds),
    cpuMs: mean((r) => r.cpuMs),
    loopP99: Math.max(...runs.map((r) => r.loopP99)),
    loopMax: Math.max(...runs.map((r) => r.loopMax)),
    load: runs.at(-1)!.load,
    perRunFresh: runs.map((r) => `${ms(percentile(r.freshHealth, 99))} / ${ms(r.freshHealth.at(-1) ?? NaN)}`).join(', '),
  };
}

async function repeated(name: string, flood?: 'many-sockets' | 'reconnects') {
  const runs: Row[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await scenario(name, flood));
  return pooled(runs);
}

const rows = [
  await repeated('no flood (baseline)'),
  await repeated('300 sockets x 10 messages, one session', 'many-sockets'),
  await repeated('100 quick reconnects x 10 messages, one session', 'reconnects'),
];

console.log(`\nbench:flood: ${RUNS} run(s) of each scenario, each on a fresh Platform, samples pooled (--runs); ${USERS} ordinary users (think ${THINK_MS} ms) and two /healthz probes (every 20 ms: one kept-alive connection, one new connection per request) during each flood; Platform defaults; flooder at nice ${FLOODER_NICE} (--flooder-nice)\n`);
console.log(
  '| scenario | runs | flooder sent / stored / refused (per run) | flooder sockets let in / turned away (per run) | users replies (n) | users p50 / p99 / max ms | users refused | /healthz kept-alive (n) | /healthz kept-alive p50 / p99 / max ms | /healthz new connection (n) | /healthz new connection p50 / p99 / max ms | Platform loop delay p99 / max ms (worst run) | Platform CPU ms (per run) | window s (per run) | machine load |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.scenario} | ${r.runs} | ${r.sent} / ${r.stored} / ${r.refused} | ${r.letIn} / ${r.turnedAway} | ${r.users.length} | ${triple(r.users)} | ${r.usersRefused} | ${r.health.length} | ${triple(r.health)} | ${r.freshHealth.length} | ${triple(r.freshHealth)} | ${ms(r.loopP99)} / ${ms(r.loopMax)} | ${r.cpuMs.toFixed(0)} | ${r.seconds.toFixed(1)} | ${r.load.toFixed(2)} |`,
  );
}
console.log('\n/healthz new connection, p99 / max ms of each run:');
for (const r of rows) console.log(`- ${r.scenario}: ${r.perRunFresh}`);
clearTimeout(deadline);
