/**
 * `npm run bench:platform [-- --sizes 100,1000,5000 --rate 2000 --seconds 10 --warmup 3
 *                            --durability normal,full --transport ws,rest --rest-rate 80
 *                            --database postgres://USER:PASS@HOST:PORT/DB|throwaway --instances N
 *                            --conversations N --find-knee --compare --max-steps 12 --generators N
 *                            --hold N]`
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
 *   `--database`, else throwaway), and one table with the three knees and their ratio to SQLite ×1;
 * - `--hold N --rate R`: issue 12's figure ("N concurrent conversations held with p99 user→designer < 100 ms at
 *   the SQLite ×1 knee rate"): N conversations, WebSocket, the first durability, one window at R msg/s (give the
 *   knee rate measured by `--find-knee`), and one row: conversations still held at the end, offered and sustained
 *   rate, p50/p99 user→designer, CPU per process, and whether the figure is met. 20,000 need `--database throwaway
 *   --instances 2` (or 3): one process holds at most 20,000 files here.
 *
 * Open files: every user's socket is a file in the process holding the user and in the Platform instance serving
 * it, and this machine allows 20,000 per process. Up to 9,000 users live in the bench's own process; more go to
 * load generator processes of 9,000 at most (`--generators N` to choose how many; 0: the bench's own process), each
 * at its share of the offered rate in the same closed loop; the designers stay in the bench's process and take the
 * send time from the message's clientId (bench/platform-user-group.ts). Before anything starts, the bench checks
 * each generator's and each instance's share against the limit and says what to run instead
 * (bench/platform-files.ts).
 *
 * The load generator runs on the same machine and takes CPU of its own: the figures are a lower bound (its CPU is
 * the sum over its processes). Nothing the bench starts outlives it (bench/platform-children.ts).
 */
import { parseArgs } from 'node:util';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../tests/support/throwaway-postgres.js';
import { onBenchExit } from './platform-children.js';
import { openFilesLimits, openFilesProblem } from './platform-files.js';
import { defaultGenerators } from './platform-generator-shares.js';
import { startInstances, stopInstances, type Durability } from './platform-instances.js';
import { findKnee, KEPT_UP, KNEE_P99_MS, passes } from './platform-knee.js';
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
    generators: { type: 'string' },
    hold: { type: 'string' },
  },
});

function usage(message: string): never {
  process.stderr.write(`bench:platform: ${message}\n`);
  process.exit(2);
}

const COMPARE = values.compare;
const KNEE = values['find-knee'] || values.knee || COMPARE;
const HOLD = values.hold !== undefined;
if (values.sizes && values.conversations) usage('give --sizes or --conversations, not both');
if (HOLD && (values.sizes || values.conversations || KNEE)) usage('--hold N is a mode of its own: leave out --sizes, --conversations, --find-knee and --compare');
if (HOLD && values.rate === undefined) usage('--hold needs --rate: the SQLite ×1 knee rate (measure it with --find-knee; issue 12 measured ~1,900 msg/s with 1000 conversations)');
const SIZES = (values.hold ?? values.conversations ?? values.sizes ?? (KNEE ? '1000' : '100,1000,5000')).split(',').map(Number);
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
if (HOLD && SIZES.length !== 1) usage('--hold takes one number of conversations');
if (!(WARMUP >= 0)) usage('--warmup must be 0 or more seconds');
if (!Number.isInteger(INSTANCES) || INSTANCES < 1) usage('--instances must be a whole number, 1 or more');
const GENERATORS = values.generators === undefined ? undefined : Number(values.generators);
if (GENERATORS !== undefined && !(Number.isInteger(GENERATORS) && GENERATORS >= 0)) usage('--generators must be a whole number, 0 (the bench\'s own process) or more');
/** Load generator processes for `conversations` users: as asked, else as many as the open-files limit needs. */
const generatorsFor = (conversations: number) => Math.min(GENERATORS ?? defaultGenerators(conversations), conversations);
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

// Every user's socket is a file in its generator process and in its Platform instance: check each process's share.
const limits = openFilesLimits();
if (limits) {
  const planned = COMPARE ? [{ instances: 1, sqlite: true }, { instances: 1, sqlite: false }, { instances: 2, sqlite: false }] : [{ instances: INSTANCES, sqlite: !DATABASE }];
  for (const conversations of SIZES) {
    for (const p of planned) {
      const problem = openFilesProblem({ conversations, ...p, generators: generatorsFor(conversations) }, limits);
      if (problem) usage(problem);
    }
  }
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
    const generators = generatorsFor(conversations);
    process.stderr.write(`  connecting ${conversations} users ${generators ? `over ${generators} load generator processes ` : ''}and ${DESIGNERS} designers...\n`);
    const opening = performance.now();
    load = await Load.open(instances, conversations, transport, postmaster, generators);
    process.stderr.write(`  ${conversations} conversations open in ${((performance.now() - opening) / 1000).toFixed(1)} s\n`);
    return await work(load);
  } finally {
    load?.close();
    await stopInstances(instances);
  }
}

const loopDelays = (s: Step) => s.instances.map((i) => i.loopDelayMaxMs.toFixed(0)).join(' / ');
const cpus = (s: Step) => s.instances.map((i) => i.cpuPercent.toFixed(0)).join(' / ');
/** The load generator's CPU: the sum, and each process's when there are several (the bench's own first). */
const generatorCpu = (s: Step) => (s.generatorCpus.length > 1 ? `${s.generatorCpu.toFixed(0)} (${s.generatorCpus.map((g) => g.cpuPercent.toFixed(0)).join(' + ')})` : s.generatorCpu.toFixed(0));
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
      generatorCpu(s),
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
      generatorCpu(s),
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

/** The figure of issue 12: this many conversations held with p99 user→designer under this, at the knee rate. */
const HOLD_P99_MS = 100;

async function runHold(config: Configuration): Promise<void> {
  const conversations = SIZES[0]!;
  const durability = DURABILITIES[0]!;
  process.stderr.write(`holding ${conversations} conversations on ${config.name}, durability ${durability}, WebSocket, at ${RATE} msg/s offered...\n`);
  const s = await withLoad(config, durability, 'ws', conversations, (load) => load.step(RATE, WARMUP, SECONDS));
  const p99 = percentile(s.designer, 99);
  const met = s.held === conversations && p99 < HOLD_P99_MS && s.sustained >= KEPT_UP * s.offered;
  console.log(`\n${config.name}: ${conversations} concurrent conversations, durability ${durability}, ${DESIGNERS} designers, WebSocket, ${SECONDS} s measured after ${WARMUP} s of warm-up`);
  printTable(
    ['conversations held', 'offered msg/s', 'sustained msg/s', 'user→designer p50 ms', 'p99', 'cross-instance p99', 'user→bot p99 ms', 'Platform CPU % (per instance)', 'PostgreSQL CPU %', 'load gen CPU % (sum: bench + generators)', 'machine load', `p99 < ${HOLD_P99_MS} ms, kept up, all held`],
    [
      [
        `${s.held} of ${conversations}`,
        String(s.offered),
        s.sustained.toFixed(0),
        ms(percentile(s.designer, 50)),
        ms(p99),
        config.instances > 1 ? ms(percentile(s.crossDesigner, 99)) : '-',
        ms(percentile(s.botLatency, 99)),
        cpus(s),
        s.postgresCpu === undefined ? '-' : s.postgresCpu.toFixed(0),
        generatorCpu(s),
        s.machineLoad.toFixed(1),
        met ? 'yes' : 'no',
      ],
    ],
  );
  console.log(`(held: users whose WebSocket was still open when the window ended; kept up: sustained at least ${KEPT_UP * 100} % of offered; CPU: 100 % = one core)`);
  if (errorsOf(s)) console.log(`errors from the Platform: ${errorsOf(s)}`);
  console.log(`issue 12's figure, ${conversations} concurrent conversations held with p99 user→designer < ${HOLD_P99_MS} ms at ${RATE} msg/s: ${met ? 'met' : 'not met'} (p99 ${ms(p99)} ms, ${s.held} held, ${s.sustained.toFixed(0)} msg/s sustained)`);
}

if (COMPARE) await runCompare();
else {
  const config = await configuration(DATABASE, INSTANCES);
  if (HOLD) await runHold(config);
  else if (KNEE) await kneeOf(config);
  else await runRows(config);
}
await throwaway?.destroy();
