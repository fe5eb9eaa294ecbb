/**
 * AIML engine benchmark: `npm run bench:aiml [-- --inputs FILE] [--bots alice,rosie] [--warmup N] [--stall-runs N]`
 *
 * For each bot: load time (loadBotDirectory, files read and compiled), heap after load (after a full GC:
 * the whole process heap, and the part the bot added),
 * then every input of the input file answered in one session on one core: replies per second and the
 * p50/p99/max latency of a single reply. A warm-up pass (default 1,000 inputs, separate session) runs
 * first so the figures describe the steady state, not the JIT compiling.
 *
 * Then, for each bot, how long compiling it holds the event loop (bench/aiml-verify-stall.ts): compileBot in one
 * go, and a verify through the Platform's bot registry, which compiles in slices (--stall-runs N each, default 2;
 * 0 skips this part).
 *
 * The bots and inputs are test data in ../shared (see ../shared/data/aiml/README.md); without them the
 * benchmark says so and exits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBotDirectory } from '../aiml/index.js';
import { measureVerifyStalls, stallTable, type StallRow } from './aiml-verify-stall.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = join(root, '..', 'shared', 'data');
const BOTS: Record<string, string> = {
  alice: join(data, 'aiml', 'alice-foundation'),
  rosie: join(data, 'aiml', 'rosie'),
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Row {
  bot: string;
  categories: number;
  loadMs: number;
  /** The whole process heap after load and a full GC. */
  heapMb: number;
  /** What the loaded bot added to the heap. */
  botMb: number;
  replies: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  maxInput: string;
  limits: number;
}

/** The bot without its diagnostics: "bot MB" is what a running bot holds, not the load report its caller may drop. */
async function load(dir: string) {
  const { bot, diagnostics } = await loadBotDirectory(dir);
  return { bot, errors: diagnostics.filter((d) => d.severity === 'error').length };
}

async function benchBot(name: string, dir: string, inputs: string[], warmup: number): Promise<Row> {
  const heapBefore = heapMb();
  const t0 = performance.now();
  const { bot, errors } = await load(dir);
  const loadMs = performance.now() - t0;
  const heap = heapMb();
  if (errors > 0) console.error(`${name}: ${errors} load errors (run the CLI with --diagnostics to see them)`);

  const warm = bot.createSession('bench-warmup');
  for (let i = 0; i < Math.min(warmup, inputs.length); i++) bot.respond(warm, inputs[i]!, { random: () => 0.5 });

  const session = bot.createSession('bench');
  const times = new Float64Array(inputs.length);
  let maxInput = '';
  let max = -1;
  let limits = 0;
  const start = performance.now();
  for (let i = 0; i < inputs.length; i++) {
    const s = performance.now();
    const reply = bot.respond(session, inputs[i]!, { random: () => 0.5 });
    const d = performance.now() - s;
    times[i] = d;
    if (d > max) {
      max = d;
      maxInput = inputs[i]!;
    }
    if (reply.limitHit) limits++;
  }
  const total = performance.now() - start;
  const sorted = times.slice().sort();
  return {
    bot: name,
    categories: bot.categoryCount,
    loadMs,
    heapMb: heap,
    botMb: heap - heapBefore,
    replies: inputs.length,
    perSecond: inputs.length / (total / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max,
    maxInput,
    limits,
  };
}

function table(rows: Row[]): string {
  const header = ['bot', 'categories', 'load ms', 'heap MB', 'bot MB', 'replies', 'replies/s', 'p50 ms', 'p99 ms', 'max ms', 'limit hits'];
  const body = rows.map((r) => [
    r.bot,
    String(r.categories),
    r.loadMs.toFixed(0),
    r.heapMb.toFixed(1),
    r.botMb.toFixed(1),
    String(r.replies),
    r.perSecond.toFixed(0),
    r.p50.toFixed(3),
    r.p99.toFixed(3),
    r.max.toFixed(2),
    String(r.limits),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|') + '|', ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const inputsFile = arg('inputs', join(data, 'inputs', 'inputs_gen10k.txt'));
  const botNames = arg('bots', 'alice,rosie').split(',');
  const warmup = Number(arg('warmup', '1000'));
  if (!existsSync(inputsFile) || botNames.some((b) => !BOTS[b] || !existsSync(BOTS[b]))) {
    console.log(`benchmark data not found (${inputsFile} and the bots under ${join(data, 'aiml')}): nothing to measure`);
    return;
  }
  if (!gc) console.log('note: run with node --expose-gc (npm run bench:aiml does) for exact heap figures');
  const inputs = readFileSync(inputsFile, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  const rows: Row[] = [];
  for (const name of botNames) rows.push(await benchBot(name, BOTS[name]!, inputs, warmup));
  console.log(`inputs: ${inputsFile} (${inputs.length} lines), warm-up ${warmup}, node ${process.version}`);
  console.log(table(rows));
  for (const r of rows) console.log(`slowest ${r.bot} reply: ${r.max.toFixed(2)} ms for ${JSON.stringify(r.maxInput)}`);
  const stallRuns = Number(arg('stall-runs', '2'));
  if (stallRuns > 0) {
    const stalls: StallRow[] = [];
    for (const name of botNames) stalls.push(...(await measureVerifyStalls(name, BOTS[name]!, stallRuns)));
    console.log('\nevent loop held while a bot compiles (monitorEventLoopDelay, 1 ms resolution):');
    console.log(stallTable(stalls));
  }
}

await main();
