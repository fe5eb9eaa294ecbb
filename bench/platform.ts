/**
 * `npm run bench:platform [-- --sizes 100,1000,5000 --rate 2000 --seconds 10 --warmup 3
 *                            --durability normal,full --transport ws,rest --rest-rate 80
 *                            --database postgres://USER:PASS@HOST:PORT/DB --instances N --knee]`
 *
 * `--database`: the Platform runs on that PostgreSQL instead of SQLite, as `--instances` processes (default 1) that
 * form one cluster; users and designers are spread over the instances in turn, and CPU is their sum. The database
 * keeps what earlier runs stored (use an empty one). `--knee`: for each row, offer `--rate`, then 25 % more each
 * step, until the p99 user→designer latency reaches 50 ms or the sustained rate falls behind the offered one; the
 * knee is the highest offered rate that stayed under 50 ms.
 *
 * Simulated end users talk to the starter bot while 5 designers follow every event. For each durability level
 * (`durability: normal` or `full`, as `--durability` of the Platform), each transport and each number of concurrent
 * conversations, a fresh Platform (its own process, fresh data dir) is offered a rate of user messages per second,
 * each user sending its next message only after the bot answered the last one (closed loop). Transports:
 * - `ws`: the Chat Widget's WebSocket (`/ws/chat`), `--rate` messages per second;
 * - `rest`: the Pandorabots REST API, `POST /talk/<app_id>/starter` with a client_name per user, `--rest-rate` calls
 *   per second. The plan limit (6,000 talk calls a minute) caps it: a 429 is counted in the errors line.
 * Reported, per row: what ran (durability, transport, bot), the sustained rate of answered user messages, latency
 * from the user's send to the bot's reply and to each designer receiving the user's message (p50, p99, max; WebSocket
 * only: a REST call carries no client message id to match a designer's event with), and the Platform process's CPU
 * and resident memory. The load generator runs on the same machine and takes CPU of its own: the figures are a
 * lower bound.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,5000' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    durability: { type: 'string', default: 'normal,full' },
    transport: { type: 'string', default: 'ws,rest' },
    'rest-rate': { type: 'string', default: '80' },
    database: { type: 'string' },
    instances: { type: 'string', default: '1' },
    knee: { type: 'boolean', default: false },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const REST_RATE = Number(values['rest-rate']);
const DATABASE = values.database;
const INSTANCES = Number(values.instances);
if (!Number.isInteger(INSTANCES) || INSTANCES < 1) throw new Error('--instances must be a whole number, 1 or more');
if (INSTANCES > 1 && !DATABASE) throw new Error('--instances above 1 needs --database postgres://...: SQLite serves one process');
if (DATABASE && !/^postgres(ql)?:\/\//.test(DATABASE)) throw new Error('--database must be a postgres:// URL');
/** A row's p99 user→designer latency must stay under this for its rate to count below the knee. */
const KNEE_P99_MS = 50;
type Durability = 'normal' | 'full';
type Transport = 'ws' | 'rest';
const DURABILITIES = values.durability.split(',').map((d) => {
  if (d !== 'normal' && d !== 'full') throw new Error(`--durability takes normal and/or full, not "${d}"`);
  return d as Durability;
});
const TRANSPORTS = values.transport.split(',').map((t) => {
  if (t !== 'ws' && t !== 'rest') throw new Error(`--transport takes ws and/or rest, not "${t}"`);
  return t as Transport;
});
for (const [name, n] of Object.entries({ sizes: Math.min(...SIZES), rate: RATE, seconds: SECONDS, 'rest-rate': REST_RATE })) {
  if (!(n > 0)) throw new Error(`--${name} must be a positive number`);
}
if (!(WARMUP >= 0)) throw new Error('--warmup must be 0 or more seconds');
const DESIGNERS = 5;
const here = dirname(fileURLToPath(import.meta.url));

interface Ready {
  type: 'ready';
  url: string;
  designers: string[];
  durability: Durability;
  bot: string;
  api: { appId: string; userKey: string };
}
interface Measured {
  type: 'measured';
  cpuPercent: number;
  rssMb: number;
  peakRssMb: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

function startServer(durability: Durability): Promise<{ child: ChildProcess; ready: Ready }> {
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  const child = fork(join(here, 'platform-server.ts'), [durability, DATABASE ?? ''], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ready: m as Ready }));
    child.once('exit', (code) => reject(new Error(`the Platform process exited with ${code}`)));
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

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** An answer, or the error the Platform gave instead (an error frame's code, or an HTTP status). */
type Outcome = { ok: true; ms: number } | { ok: false; error: string };

/** One simulated end user: one conversation, one message in flight at a time. */
interface User {
  readonly n: number;
  busy: boolean;
  connect(): Promise<void>;
  send(clientId: string, text: string, done: (outcome: Outcome) => void): void;
  close(): void;
}

/** An end user of the Chat Widget: one WebSocket. */
class SocketUser implements User {
  ws!: WebSocket;
  busy = false;
  sentAt = 0;
  private done: ((outcome: Outcome) => void) | undefined;
  private ownSeq = -1;

  constructor(
    readonly n: number,
    private readonly base: string,
  ) {}

  async connect(): Promise<void> {
    this.ws = await open(`${this.base}/ws/chat?bot=starter`);
    const welcomed = new Promise<void>((resolve, reject) => {
      this.ws.once('message', (data) => {
        const f = JSON.parse(data.toString()) as { type: string; code?: string; message?: string };
        if (f.type === 'welcome') resolve();
        else reject(new Error(`user ${this.n}: the Platform answered hello with ${f.type} ${f.code ?? ''}: ${f.message ?? ''}`));
      });
    });
    this.ws.send(JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget', session: randomBytes(18).toString('base64url') }));
    await welcomed;
    this.ws.on('message', (data) => this.frame(data.toString()));
  }

  send(clientId: string, text: string, done: (outcome: Outcome) => void): void {
    this.busy = true;
    this.done = done;
    this.ownSeq = -1;
    this.sentAt = performance.now();
    this.ws.send(JSON.stringify({ type: 'send', clientId, text }));
  }

  close(): void {
    this.ws.terminate();
  }

  private frame(text: string): void {
    const f = JSON.parse(text) as { type: string; message?: { seq: number; from: string; clientId?: string }; code?: string; text?: string };
    if (f.type === 'error') {
      const code = f.code ?? '?';
      errors.set(code, (errors.get(code) ?? 0) + 1);
      this.busy = false;
      this.done?.({ ok: false, error: `error frame ${code}: ${(f as { message?: string }).message ?? ''}` });
      this.done = undefined;
      return;
    }
    if (f.type !== 'message' || !f.message) return;
    if (f.message.from === 'user') this.ownSeq = f.message.seq;
    else if (this.busy && f.message.seq === this.ownSeq + 1) {
      this.busy = false;
      this.done?.({ ok: true, ms: performance.now() - this.sentAt });
      this.done = undefined;
    }
  }
}

/** An end user behind an application calling the REST API: one client_name, one session, a POST per message. */
class RestUser implements User {
  busy = false;
  private session: string | undefined;

  constructor(
    readonly n: number,
    private readonly talkUrl: string,
    private readonly userKey: string,
  ) {}

  async connect(): Promise<void> {}

  send(_clientId: string, text: string, done: (outcome: Outcome) => void): void {
    this.busy = true;
    const sentAt = performance.now();
    const body = new URLSearchParams({ user_key: this.userKey, input: text, client_name: `bench-user-${this.n}` });
    if (this.session) body.set('sessionid', this.session);
    fetch(this.talkUrl, { method: 'POST', body })
      .then(async (res) => {
        const json = (await res.json()) as { status?: string; sessionid?: number; message?: string };
        this.busy = false;
        if (!res.ok || json.status !== 'ok') {
          const code = `HTTP ${res.status}`;
          errors.set(code, (errors.get(code) ?? 0) + 1);
          done({ ok: false, error: `${code}: ${json.message ?? ''}` });
          return;
        }
        if (json.sessionid !== undefined) this.session = String(json.sessionid);
        done({ ok: true, ms: performance.now() - sentAt });
      })
      .catch((error: unknown) => {
        this.busy = false;
        errors.set('network', (errors.get('network') ?? 0) + 1);
        done({ ok: false, error: String(error) });
      });
  }

  close(): void {}
}

const errors = new Map<string, number>();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

interface Row {
  durability: Durability;
  transport: Transport;
  bot: string;
  conversations: number;
  offered: number;
  sustained: number;
  botLatency: number[];
  designer: number[];
  designerDeliveries: number;
  cpu: number;
  rss: number;
  peakRss: number;
  loopDelayP99: number;
  loopDelayMax: number;
  generatorCpu: number;
  /** The machine's 1-minute load average at the end of the window (other work competes for the 2 cores). */
  machineLoad: number;
}

async function run(conversations: number, durability: Durability, transport: Transport, rate: number): Promise<Row> {
  errors.clear();
  // The first instance migrates the database; the others join it.
  const servers = [await startServer(durability)];
  servers.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => startServer(durability)))));
  const { ready } = servers[0]!;
  // What ran is what the Platform says it runs with, not what was asked for.
  if (ready.durability !== durability) throw new Error(`asked for durability ${durability}, the Platform runs ${ready.durability}`);
  const bases = servers.map((s) => s.ready.url.replace(/^http/, 'ws'));
  const sentAt = new Map<string, number>();
  const designerLatency: number[] = [];
  let measuring = false;

  const designers = await Promise.all(
    ready.designers.map(async (token, i) => {
      const ws = await open(`${bases[i % bases.length]}/ws/designer`, { Authorization: `Bearer ${token}` });
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString()) as { type: string; event?: { type: string; message?: { author: string; clientId?: string } } };
        if (!measuring || f.type !== 'event' || f.event?.type !== 'message.created' || f.event.message?.author !== 'user') return;
        const t0 = sentAt.get(f.event.message.clientId ?? '');
        if (t0 !== undefined) designerLatency.push(performance.now() - t0);
      });
      ws.send(JSON.stringify({ type: 'hello', protocol: 1, resume: {} }));
      return ws;
    }),
  );

  const talkUrl = `${ready.url}/talk/${ready.api.appId}/${ready.bot}`;
  const users: User[] = Array.from({ length: conversations }, (_, i) =>
    transport === 'ws' ? new SocketUser(i, bases[i % bases.length]!) : new RestUser(i, servers.length > 1 ? `${servers[i % servers.length]!.ready.url}/talk/${ready.api.appId}/${ready.bot}` : talkUrl, ready.api.userKey),
  );
  await inBatches(users, 200, (u) => u.connect());
  // Every WebSocket user starts a conversation first (not measured): this is "concurrent conversations". A refusal
  // ends the run at once, with the Platform's reason, instead of waiting for a reply that will never come. (REST
  // users start theirs with their first call: a call each up front would spend the plan's talk calls.)
  if (transport === 'ws') {
    await inBatches(users, 500, (u) =>
      new Promise<void>((resolve, reject) =>
        u.send(`w${u.n}`, 'Hello', (outcome) => (outcome.ok ? resolve() : reject(new Error(`warm-up: user ${u.n}'s first message was refused: ${outcome.error}`)))),
      ),
    );
  }

  const botLatency: number[] = [];
  let acked = 0;
  // The same load, unmeasured, for WARMUP seconds first: JIT compilation and the first allocations are not the
  // steady state this benchmark is about.
  let started = performance.now();
  const warmupEnds = started + WARMUP * 1000;
  let inWindow = WARMUP === 0;
  if (inWindow) {
    await Promise.all(servers.map((s) => ask<{ type: string }>(s.child, 'measure-start', 'measure-started')));
    measuring = true;
  }
  let credit = 0;
  let last = started;
  let cursor = 0;
  let counter = 0;
  let generatorCpu = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      credit += ((now - last) / 1000) * rate;
      last = now;
      // Offer the rate: the next idle users in turn send one message each.
      for (let scanned = 0; credit >= 1 && scanned < users.length; scanned++) {
        const u = users[cursor]!;
        cursor = (cursor + 1) % users.length;
        if (u.busy) continue;
        const clientId = `b${++counter}`;
        const measured = inWindow;
        if (measured) sentAt.set(clientId, performance.now());
        u.send(clientId, counter % 3 ? 'Hello' : 'Who are you', (outcome) => {
          if (!measured || !outcome.ok) return;
          acked += 1;
          botLatency.push(outcome.ms);
        });
        credit -= 1;
      }
      credit = Math.min(credit, rate / 10); // no catch-up bursts when the users are all busy
      if (!inWindow && now >= warmupEnds) {
        inWindow = true;
        started = now;
        generatorCpu = process.cpuUsage();
        measuring = true;
        for (const s of servers) s.child.send({ type: 'measure-start' });
      }
      if (inWindow && now - started >= SECONDS * 1000) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  const elapsed = (performance.now() - started) / 1000;
  const generatorUsage = process.cpuUsage(generatorCpu);
  // Let in-flight replies arrive before the window closes for CPU; they count for latency, not for the rate.
  const ackedInWindow = acked;
  await new Promise((r) => setTimeout(r, 1000));
  measuring = false;
  const measured = await Promise.all(servers.map((s) => ask<Measured>(s.child, 'measure-stop', 'measured')));
  // Several instances: their CPU, memory and peaks add up; the loop delay is the worst instance's.
  const usage: Measured = {
    type: 'measured',
    cpuPercent: measured.reduce((sum, m) => sum + m.cpuPercent, 0),
    rssMb: measured.reduce((sum, m) => sum + m.rssMb, 0),
    peakRssMb: measured.reduce((sum, m) => sum + m.peakRssMb, 0),
    loopDelayP99Ms: Math.max(...measured.map((m) => m.loopDelayP99Ms)),
    loopDelayMaxMs: Math.max(...measured.map((m) => m.loopDelayMaxMs)),
  };

  for (const u of users) u.close();
  for (const d of designers) d.terminate();
  for (const s of servers) s.child.send({ type: 'stop' });
  await Promise.all(servers.map((s) => new Promise((r) => s.child.once('exit', r))));

  botLatency.sort((a, b) => a - b);
  designerLatency.sort((a, b) => a - b);
  return {
    durability: ready.durability,
    transport,
    bot: ready.bot,
    conversations,
    offered: rate,
    sustained: ackedInWindow / elapsed,
    botLatency,
    designer: designerLatency,
    designerDeliveries: designerLatency.length,
    cpu: usage.cpuPercent,
    rss: usage.rssMb,
    peakRss: usage.peakRssMb,
    loopDelayP99: usage.loopDelayP99Ms,
    loopDelayMax: usage.loopDelayMaxMs,
    generatorCpu: ((generatorUsage.user + generatorUsage.system) / 1e6 / elapsed) * 100,
    machineLoad: loadavg()[0]!,
  };
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));
const rows: Row[] = [];
const KNEE = values.knee;
const STORE = DATABASE ? `PostgreSQL x${INSTANCES}` : 'SQLite x1';
const kneeLines: string[] = [];
const errorLines: string[] = [];
for (const durability of DURABILITIES) {
  for (const transport of TRANSPORTS) {
    for (const size of SIZES) {
      let rate = transport === 'ws' ? RATE : REST_RATE;
      let knee: number | undefined;
      for (let step = 0; step < (KNEE ? 12 : 1); step++) {
        process.stderr.write(`running ${STORE}, durability ${durability}, ${transport}, ${size} conversations for ${SECONDS} s at ${rate} messages/s offered...\n`);
        const row = await run(size, durability, transport, rate);
        rows.push(row);
        if (errors.size) errorLines.push(`durability ${durability}, ${transport}, ${size} conversations, ${rate}/s: errors from the Platform ${JSON.stringify(Object.fromEntries(errors))}`);
        const p99 = percentile(row.designer, 99);
        const keptUp = row.sustained >= 0.95 * rate;
        if (!KNEE) break;
        if (p99 >= KNEE_P99_MS || !keptUp) break;
        knee = rate;
        rate = Math.round(rate * 1.25);
      }
      if (KNEE) kneeLines.push(`knee, ${STORE}, durability ${durability}, ${transport}, ${size} conversations: ${knee === undefined ? `below ${transport === 'ws' ? RATE : REST_RATE} msg/s (the first rate tried already missed)` : `${knee} msg/s`} (highest offered rate with p99 user→designer < ${KNEE_P99_MS} ms)`);
    }
  }
}

const header = [
  'durability',
  'transport',
  'bot',
  'conversations',
  'offered msg/s',
  'sustained msg/s',
  'user→bot p50 ms',
  'p99',
  'max',
  'user→designer p50 ms',
  'p99',
  'max',
  'Platform CPU %',
  'RSS MB (peak)',
  'loop delay p99/max ms',
  'load gen CPU %',
  'machine load',
];
const table = rows.map((r) => [
  r.durability,
  r.transport === 'ws' ? 'WebSocket' : 'REST talk',
  r.bot,
  String(r.conversations),
  String(r.offered),
  r.sustained.toFixed(0),
  ms(percentile(r.botLatency, 50)),
  ms(percentile(r.botLatency, 99)),
  ms(r.botLatency.at(-1) ?? NaN),
  ms(percentile(r.designer, 50)),
  ms(percentile(r.designer, 99)),
  ms(r.designer.at(-1) ?? NaN),
  r.cpu.toFixed(0),
  `${r.rss.toFixed(0)} (${r.peakRss.toFixed(0)})`,
  `${r.loopDelayP99.toFixed(0)}/${r.loopDelayMax.toFixed(0)}`,
  r.generatorCpu.toFixed(0),
  r.machineLoad.toFixed(1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
console.log(`\nPlatform benchmark (${STORE}): ${DESIGNERS} designers connected, ${SECONDS} s measured per row after ${WARMUP} s of warm-up, closed-loop users`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(row));
console.log(`(user→designer: every delivery to each of the ${DESIGNERS} designers, WebSocket rows only; CPU: the Platform process only, 100 % = one core)`);
console.log('(REST talk: POST /talk/<app_id>/<bot>, one client_name per user; the plan allows 6,000 talk calls a minute)');
for (const l of errorLines) console.log(l);
for (const l of kneeLines) console.log(l);
