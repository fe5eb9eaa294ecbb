/**
 * `npm run bench:platform [-- --sizes 100,1000,5000 --rate 2000 --seconds 10]`
 *
 * Simulated end users on real WebSockets talk to the starter bot while 5 designers follow every event. For each
 * number of concurrent conversations the Platform (its own process, fresh data dir) is offered `rate` user messages
 * per second, each user sending its next message only after the bot answered the last one (closed loop). Reported:
 * the sustained rate of stored user messages, latency from the user's send to the bot's reply and to each designer
 * receiving the user's message (p50, p99, max), and the Platform process's CPU and resident memory.
 * The load generator runs on the same machine and takes CPU of its own: the figures are a lower bound.
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
  },
});
const SIZES = values.sizes.split(',').map(Number);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const DESIGNERS = 5;
const here = dirname(fileURLToPath(import.meta.url));

interface Ready {
  type: 'ready';
  url: string;
  designers: string[];
}
interface Measured {
  type: 'measured';
  cpuPercent: number;
  rssMb: number;
  peakRssMb: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

function startServer(): Promise<{ child: ChildProcess; ready: Ready }> {
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  const child = fork(join(here, 'platform-server.ts'), [], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

/** One simulated end user: one socket, one conversation, one message in flight at a time. */
class User {
  ws!: WebSocket;
  busy = false;
  sentAt = 0;
  sent = 0;
  private onReply: ((ms: number) => void) | undefined;
  private ownSeq = -1;

  constructor(readonly n: number) {}

  async connect(base: string): Promise<void> {
    this.ws = await open(`${base}/ws/chat?bot=starter`);
    const welcomed = new Promise<void>((resolve) => {
      this.ws.once('message', () => resolve());
    });
    this.ws.send(JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget', session: randomBytes(18).toString('base64url') }));
    await welcomed;
    this.ws.on('message', (data) => this.frame(data.toString()));
  }

  send(clientId: string, text: string, onReply: (ms: number) => void): void {
    this.busy = true;
    this.sent += 1;
    this.onReply = onReply;
    this.ownSeq = -1;
    this.sentAt = performance.now();
    this.ws.send(JSON.stringify({ type: 'send', clientId, text }));
  }

  private frame(text: string): void {
    const f = JSON.parse(text) as { type: string; message?: { seq: number; from: string; clientId?: string }; code?: string };
    if (f.type === 'error') {
      errors.set(f.code ?? '?', (errors.get(f.code ?? '?') ?? 0) + 1);
      this.busy = false;
      return;
    }
    if (f.type !== 'message' || !f.message) return;
    if (f.message.from === 'user') this.ownSeq = f.message.seq;
    else if (this.busy && f.message.seq === this.ownSeq + 1) {
      this.busy = false;
      this.onReply?.(performance.now() - this.sentAt);
    }
  }
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
  conversations: number;
  offered: number;
  sustained: number;
  bot: number[];
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

async function run(conversations: number): Promise<Row> {
  errors.clear();
  const { child, ready } = await startServer();
  const base = ready.url.replace(/^http/, 'ws');
  const sentAt = new Map<string, number>();
  const designerLatency: number[] = [];
  let measuring = false;

  const designers = await Promise.all(
    ready.designers.map(async (token) => {
      const ws = await open(`${base}/ws/designer`, { Authorization: `Bearer ${token}` });
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

  const users = Array.from({ length: conversations }, (_, i) => new User(i));
  await inBatches(users, 200, (u) => u.connect(base));
  // Every user starts a conversation first (not measured): this is "concurrent conversations".
  await inBatches(users, 500, (u) => new Promise<void>((resolve) => u.send(`w${u.n}`, 'Hello', () => resolve())));

  const botLatency: number[] = [];
  let acked = 0;
  // The same load, unmeasured, for WARMUP seconds first: JIT compilation and the first allocations are not the
  // steady state this benchmark is about.
  let started = performance.now();
  const warmupEnds = started + WARMUP * 1000;
  let inWindow = WARMUP === 0;
  if (inWindow) {
    await ask<{ type: string }>(child, 'measure-start', 'measure-started');
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
      credit += ((now - last) / 1000) * RATE;
      last = now;
      // Offer the rate: the next idle users in turn send one message each.
      for (let scanned = 0; credit >= 1 && scanned < users.length; scanned++) {
        const u = users[cursor]!;
        cursor = (cursor + 1) % users.length;
        if (u.busy) continue;
        const clientId = `b${++counter}`;
        const measured = inWindow;
        if (measured) sentAt.set(clientId, performance.now());
        u.send(clientId, counter % 3 ? 'Hello' : 'Who are you', (ms) => {
          if (!measured) return;
          acked += 1;
          botLatency.push(ms);
        });
        credit -= 1;
      }
      credit = Math.min(credit, RATE / 10); // no catch-up bursts when the users are all busy
      if (!inWindow && now >= warmupEnds) {
        inWindow = true;
        started = now;
        generatorCpu = process.cpuUsage();
        measuring = true;
        child.send({ type: 'measure-start' });
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
  const usage = await ask<Measured>(child, 'measure-stop', 'measured');

  for (const u of users) u.ws.terminate();
  for (const d of designers) d.terminate();
  child.send({ type: 'stop' });
  await new Promise((r) => child.once('exit', r));

  botLatency.sort((a, b) => a - b);
  designerLatency.sort((a, b) => a - b);
  return {
    conversations,
    offered: RATE,
    sustained: ackedInWindow / elapsed,
    bot: botLatency,
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
for (const size of SIZES) {
  process.stderr.write(`running ${size} conversations for ${SECONDS} s at ${RATE} messages/s offered...\n`);
  rows.push(await run(size));
  if (errors.size) process.stderr.write(`  errors from the Platform: ${JSON.stringify(Object.fromEntries(errors))}\n`);
}

const header = [
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
  String(r.conversations),
  String(r.offered),
  r.sustained.toFixed(0),
  ms(percentile(r.bot, 50)),
  ms(percentile(r.bot, 99)),
  ms(r.bot.at(-1) ?? NaN),
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
console.log(`\nPlatform benchmark: ${DESIGNERS} designers connected, ${SECONDS} s measured per size after ${WARMUP} s of warm-up, closed-loop users, starter bot`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(row));
console.log(`(user→designer: every delivery to each of the ${DESIGNERS} designers; CPU: the Platform process only, 100 % = one core)`);
