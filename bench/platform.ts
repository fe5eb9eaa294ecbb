/**
 * `npm run bench:platform [-- --sizes 100,1000,5000 --rate 2000 --seconds 10 --warmup 3
 *                            --durability normal,full --transport ws,rest --rest-rate 80
 *                            --database postgres://USER:PASS@HOST:PORT/DB|throwaway --instances N
 *                            --conversations N --find-knee --compare --max-steps 12]`
 *
 * Simulated end users talk to the starter bot while 5 designers follow every event. Each user sends its next
 * message only after the bot answered the last one (closed loop); the bench offers a rate of user messages per
 * second. Transports:
 * - `ws`: the Chat Widget's WebSocket (`/ws/chat`), `--rate` messages per second;
 * - `rest`: the Pandorabots REST API, `POST /talk/<app_id>/starter` with a client_name per user, `--rest-rate` calls
 *   per second. The plan limit (6,000 talk calls a minute) caps it: a 429 is counted in the errors line.
 *
 * Where the Platform runs: SQLite by default (one process). `--database postgres://...` runs it on that PostgreSQL
 * (which keeps what earlier runs stored: use an empty database), `--database throwaway` on a PostgreSQL of the
 * bench's own (tests/support/throwaway-postgres.ts: a fresh database per configuration, removed after), and
 * `--instances N` starts N Platform processes on it that form one cluster; users and designers are spread over
 * them, so designers also get their users' messages from another instance.
 *
 * Modes:
 * - default: a row per durability, transport and number of concurrent conversations (`--sizes`, or
 *   `--conversations N` for one), each on fresh Platform processes at the offered rate;
 * - `--find-knee` (also `--knee`): one configuration, WebSocket, `--conversations` (default 1000), the first
 *   durability; the offered rate starts at `--rate` (default 400) and goes up 25 % a step on the same Platform (each
 *   step waits for the previous one's replies, then has its own warm-up) until p99 user→designer reaches 50 ms twice
 *   at one rate (bench/platform-knee.ts); a table of every step and the knee;
 * - `--compare`: the knee of SQLite ×1, PostgreSQL ×1 and PostgreSQL ×2 one after another (PostgreSQL from
 *   `--database`, else throwaway), and one table with the three knees and their ratio to SQLite ×1.
 *
 * The load generator runs on the same machine and takes CPU of its own: the figures are a lower bound. Nothing the
 * bench starts outlives it (bench/platform-children.ts).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../tests/support/throwaway-postgres.js';
import { onBenchExit } from './platform-children.js';
import { startInstances, stopInstances, type Durability } from './platform-instances.js';
import { findKnee, KNEE_P99_MS, passes } from './platform-knee.js';
import { Load, percentile, type Step, type Transport } from './platform-load.js';
import { ms, printTable } from './platform-table.js';
import { findPostmaster } from './postgres-cpu.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    conversations: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    durability: { type: 'string', default: 'normal,full' },
    transport: { type: 'string', default: 'ws,rest' },
    'rest-rate': { type: 'string', default: '80' },
    database: { type: 'string' },
    instances: { type: 'string', default: '1' },
    'find-knee': { type: 'boolean', default: false },
    knee: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    'max-steps': { type: 'string', default: '12' },
  },
});

function usage(message: string): never {
  process.stderr.write(`bench:platform: ${message}\n`);
  process.exit(2);
}

const COMPARE = values.compare;
const KNEE = values['find-knee'] || values.knee || COMPARE;
if (values.sizes && values.conversations) usage('give --sizes or --conversations, not both');
const SIZES = (values.conversations ?? values.sizes ?? (KNEE ? '1000' : '100,1000,5000')).split(',').map(Number);
const RATE = Number(values.rate ?? (KNEE ? '400' : '2000'));
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const REST_RATE = Number(values['rest-rate']);
const MAX_STEPS = Number(values['max-steps']);
const INSTANCES = Number(values.instances);
for (const [name, n] of Object.entries({ 'sizes/--conversations': Math.min(...SIZES), rate: RATE, seconds: SECONDS, 'rest-rate': REST_RATE, 'max-steps': MAX_STEPS })) {
  if (!(n > 0)) usage(`--${name} must be a positive number`);
}
if (!SIZES.every(Number.isInteger)) usage('--sizes/--conversations takes whole numbers');
if (!(WARMUP >= 0)) usage('--warmup must be 0 or more seconds');
if (!Number.isInteger(INSTANCES) || INSTANCES < 1) usage('--instances must be a whole number, 1 or more');
const DATABASE = values.database;
if (DATABASE !== undefined && DATABASE !== 'throwaway' && !/^postgres(ql)?:\/\//.test(DATABASE)) usage(`--database takes a postgres:// URL or "throwaway", not "${DATABASE}"`);
if (INSTANCES > 1 && !DATABASE && !COMPARE) usage('--instances above 1 needs --database (postgres://... or throwaway): SQLite serves one process');
if (COMPARE && values.instances !== '1') usage('--compare runs its own three configurations: leave out --instances');
const DURABILITIES = values.durability.split(',').map((d) => {
  if (d !== 'normal' && d !== 'full') usage(`--durability takes normal and/or full, not "${d}"`);
  return d as Durability;
});
const TRANSPORTS = values.transport.split(',').map((t) => {
  if (t !== 'ws' && t !== 'rest') usage(`--transport takes ws and/or rest, not "${t}"`);
  return t as Transport;
});
const DESIGNERS = 5;

/** The open-files limits (soft, hard) of this process on Linux: they cap the sockets one process can hold. */
function openFilesLimits(): { soft: number; hard: number } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [, soft, hard] = line?.split(/\s{2,}/) ?? [];
    const n = (v: string | undefined) => (v === undefined || v === 'unlimited' ? Infinity : Number(v));
    return { soft: n(soft), hard: n(hard) };
  } catch {
    return undefined;
  }
}
// The load generator holds every user's socket, and each Platform instance its share: both need a file each.
const limits = openFilesLimits();
const largest = Math.max(...SIZES);
const needed = largest + 200;
if (limits && needed > limits.soft) {
  const raise = needed <= limits.hard ? `raise it first (ulimit -n ${Number.isFinite(limits.hard) ? limits.hard : needed}) and run again` : `the hard limit is ${limits.hard} too: raise it as an administrator (ulimit -Hn, limits.conf), or run fewer`;
  usage(`${largest} conversations need about ${needed} open files in the load generator, and its limit is ${limits.soft}: ${raise}`);
}

interface Configuration {
  name: string;
  /** undefined: SQLite. */
  database: string | undefined;
  instances: number;
}

let throwaway: ThrowawayPostgres | undefined;
async function databaseFor(wanted: string | undefined): Promise<string | undefined> {
  if (wanted !== 'throwaway') return wanted;
  if (!throwaway) {
    process.stderr.write('starting a throwaway PostgreSQL...\n');
    throwaway = await startThrowawayPostgres();
    const server = throwaway;
    onBenchExit(() => void server.destroy());
  }
  return throwaway.createDatabase();
}

async function configuration(database: string | undefined, instances: number): Promise<Configuration> {
  const url = await databaseFor(database);
  return { name: url ? `PostgreSQL ×${instances}` : 'SQLite ×1', database: url, instances };
}

/** Starts the configuration's Platform and load, runs `work` on it, and stops them whatever happens. */
async function withLoad<T>(config: Configuration, durability: Durability, transport: Transport, conversations: number, work: (load: Load) => Promise<T>): Promise<T> {
  const instances = await startInstances(durability, config.database, config.instances);
  let load: Load | undefined;
  try {
    const postmaster = config.database ? await findPostmaster(config.database) : undefined;
    process.stderr.write(`  connecting ${conversations} users and ${DESIGNERS} designers...\n`);
    load = await Load.open(instances, conversations, transport, postmaster);
    return await work(load);
  } finally {
    load?.close();
    await stopInstances(instances);
  }
}

const loopDelays = (s: Step) => s.instances.map((i) => i.loopDelayMaxMs.toFixed(0)).join(' / ');
const cpus = (s: Step) => s.instances.map((i) => i.cpuPercent.toFixed(0)).join(' / ');
const errorsOf = (s: Step) => (Object.keys(s.errors).length ? JSON.stringify(s.errors) : '');

function printSteps(config: Configuration, conversations: number, steps: Step[]): void {
  console.log(`\n${config.name}: ${conversations} conversations, ${DESIGNERS} designers, WebSocket, ${SECONDS} s measured per step after ${WARMUP} s of warm-up`);
  printTable(
    ['offered msg/s', 'sustained msg/s', 'user→designer p50 ms', 'p99', 'cross-instance p99', 'user→bot p99 ms', 'loop delay max ms (per instance)', 'Platform CPU % (per instance)', 'PostgreSQL CPU %', 'load gen CPU %', 'machine load', `p99 < ${KNEE_P99_MS} ms, kept up`],
    steps.map((s) => [
      String(s.offered),
      s.sustained.toFixed(0),
      ms(percentile(s.designer, 50)),
      ms(percentile(s.designer, 99)),
      config.instances > 1 ? ms(percentile(s.crossDesigner, 99)) : '-',
      ms(percentile(s.botLatency, 99)),
      loopDelays(s),
      cpus(s),
      s.postgresCpu === undefined ? '-' : s.postgresCpu.toFixed(0),
      s.generatorCpu.toFixed(0),
      s.machineLoad.toFixed(1),
      passes(figures(s)) ? 'yes' : 'no',
    ]),
  );
  for (const s of steps) if (errorsOf(s)) console.log(`errors from the Platform at ${s.offered}/s: ${errorsOf(s)}`);
}

const figures = (s: Step) => ({ offered: s.offered, sustained: s.sustained, designerP99: percentile(s.designer, 99) });

interface KneeResult {
  config: Configuration;
  knee: number | undefined;
  /** Every step passed up to the last one tried: the knee is at least this. */
  lowerBound: boolean;
  /** The lowest offered rate tried. */
  lowest: number;
  loads: number[];
}

async function kneeOf(config: Configuration): Promise<KneeResult> {
  const conversations = SIZES[0]!;
  const durability = DURABILITIES[0]!;
  process.stderr.write(`finding the knee of ${config.name}, durability ${durability}, ${conversations} conversations, from ${RATE} msg/s...\n`);
  const search = await withLoad(config, durability, 'ws', conversations, (load) =>
    findKnee({
      startRate: RATE,
      factor: 1.25,
      maxSteps: MAX_STEPS,
      measure: async (rate) => {
        process.stderr.write(`  ${config.name}: offering ${rate} msg/s for ${WARMUP} + ${SECONDS} s...\n`);
        const step = await load.step(rate, WARMUP, SECONDS);
        return Object.assign(step, figures(step));
      },
    }),
  );
  printSteps(config, conversations, search.steps);
  const last = search.steps.at(-1)!;
  const lowerBound = passes(search.steps[0]!) && passes(last);
  const result = { config, knee: search.knee, lowerBound, lowest: Math.min(...search.steps.map((s) => s.offered)), loads: search.steps.map((s) => s.machineLoad) };
  console.log(`knee of ${config.name}: ${describeKnee(result)} (highest offered rate with p99 user→designer < ${KNEE_P99_MS} ms)`);
  return result;
}

function describeKnee(r: KneeResult): string {
  if (r.knee === undefined) return `none: every rate tried, down to ${r.lowest} msg/s, missed (start lower with --rate, or raise --max-steps)`;
  return `${r.lowerBound ? '≥ ' : ''}${r.knee} msg/s${r.lowerBound ? ` (every step passed: raise --max-steps)` : ''}`;
}

async function runRows(config: Configuration): Promise<void> {
  const rows: { durability: Durability; transport: Transport; conversations: number; step: Step }[] = [];
  for (const durability of DURABILITIES) {
    for (const transport of TRANSPORTS) {
      for (const conversations of SIZES) {
        const rate = transport === 'ws' ? RATE : REST_RATE;
        process.stderr.write(`running ${config.name}, durability ${durability}, ${transport}, ${conversations} conversations for ${SECONDS} s at ${rate} messages/s offered...\n`);
        const step = await withLoad(config, durability, transport, conversations, (load) => load.step(rate, WARMUP, SECONDS));
        rows.push({ durability, transport, conversations, step });
      }
    }
  }
  console.log(`\nPlatform benchmark (${config.name}): ${DESIGNERS} designers connected, ${SECONDS} s measured per row after ${WARMUP} s of warm-up, closed-loop users`);
  printTable(
    ['durability', 'transport', 'conversations', 'offered msg/s', 'sustained msg/s', 'user→bot p50 ms', 'p99', 'max', 'user→designer p50 ms', 'p99', 'max', 'cross-instance p99', 'Platform CPU % (per instance)', 'RSS MB (peak)', 'loop delay p99/max ms', 'PostgreSQL CPU %', 'load gen CPU %', 'machine load'],
    rows.map(({ durability, transport, conversations, step: s }) => [
      durability,
      transport === 'ws' ? 'WebSocket' : 'REST talk',
      String(conversations),
      String(s.offered),
      s.sustained.toFixed(0),
      ms(percentile(s.botLatency, 50)),
      ms(percentile(s.botLatency, 99)),
      ms(s.botLatency.at(-1) ?? NaN),
      ms(percentile(s.designer, 50)),
      ms(percentile(s.designer, 99)),
      ms(s.designer.at(-1) ?? NaN),
      config.instances > 1 ? ms(percentile(s.crossDesigner, 99)) : '-',
      cpus(s),
      s.instances.map((i) => `${i.rssMb.toFixed(0)} (${i.peakRssMb.toFixed(0)})`).join(' / '),
      s.instances.map((i) => `${i.loopDelayP99Ms.toFixed(0)}/${i.loopDelayMaxMs.toFixed(0)}`).join(' / '),
      s.postgresCpu === undefined ? '-' : s.postgresCpu.toFixed(0),
      s.generatorCpu.toFixed(0),
      s.machineLoad.toFixed(1),
    ]),
  );
  console.log(`(user→designer: every delivery to each of the ${DESIGNERS} designers, WebSocket rows only; cross-instance: those to a designer on another instance than the user's; CPU: 100 % = one core)`);
  console.log('(REST talk: POST /talk/<app_id>/<bot>, one client_name per user; the plan allows 6,000 talk calls a minute)');
  for (const { durability, transport, conversations, step } of rows) {
    if (errorsOf(step)) console.log(`durability ${durability}, ${transport}, ${conversations} conversations: errors from the Platform ${errorsOf(step)}`);
    if (transport === 'ws') console.log(`${config.name}, ${conversations} concurrent conversations at ${step.offered} msg/s offered: p99 user→designer ${ms(percentile(step.designer, 99))} ms`);
  }
}

async function runCompare(): Promise<void> {
  const database = DATABASE ?? 'throwaway';
  const results: KneeResult[] = [];
  results.push(await kneeOf(await configuration(undefined, 1)));
  results.push(await kneeOf(await configuration(database, 1)));
  results.push(await kneeOf(await configuration(database, 2)));
  const base = results[0]!.knee;
  console.log(`\nKnees (highest offered rate with p99 user→designer < ${KNEE_P99_MS} ms; ${SIZES[0]} conversations, ${SECONDS} s per step after ${WARMUP} s warm-up)`);
  printTable(
    ['configuration', 'knee msg/s', 'ratio to SQLite ×1', 'machine load (min-max over its steps)'],
    results.map((r) => [
      r.config.name,
      r.knee === undefined ? 'none' : `${r.lowerBound ? '≥ ' : ''}${r.knee}`,
      r.knee === undefined || base === undefined ? '-' : `${(r.knee / base).toFixed(2)}`,
      `${Math.min(...r.loads).toFixed(1)}-${Math.max(...r.loads).toFixed(1)}`,
    ]),
  );
}

if (COMPARE) await runCompare();
else {
  const config = await configuration(DATABASE, INSTANCES);
  if (KNEE) await kneeOf(config);
  else await runRows(config);
}
await throwaway?.destroy();
