// `npm run bench:workspace`: export and validation of 100,000 learned categories (issue 6; target under 2 s),
// plus what surrounds it: re-export after one capture, reading the file back, the workspace store's atomic
// write, and rebuilding the combined bot (bot files + learned file) after one capture on ALICE (workspace-combined.ts).
// Prints a table. Each row says what it timed: "export" builds the file's text in memory; only the "workspace store"
// rows write to disk (temp file, fsync, rename).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCategories, serializeCategories, validateCategoryField, ValidatedFieldCache, type CategorySpec } from '../aiml/index.js';
import { categoryKey, type LearnedCategory } from '../main/workspace/learned-category.js';
import { LiveTrainingStore } from '../main/workspace/live-training-store.js';
import { botWorkspace } from '../main/workspace/workspace-files.js';
import { combinedBotRows } from './workspace-combined.js';
import { table, time, timeAsync, type Row } from './workspace-timing.js';

const COUNT = Number(process.env.BENCH_CATEGORIES ?? 100_000);
const TARGET_MS = 2000;

const WORDS = 'SHIP MARS TEA COFFEE ROBOT OPEN HOURS PRICE TICKET PARCEL REFUND ORDER GIFT CARD STORE WEEKEND DELIVERY COLOUR SIZE RETURN'.split(' ');
const OPENERS = ['DO YOU', 'CAN I', 'WHAT IS THE', 'HOW DO I', 'WHERE IS MY', 'IS THERE A'];

/** Categories like a busy workspace holds: captured questions, some broadened, some in context, escaped answers. */
function generate(n: number): Required<CategorySpec>[] {
  const out: Required<CategorySpec>[] = [];
  for (let i = 0; i < n; i++) {
    const core = `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + 3) % WORDS.length]} ${i.toString(36).toUpperCase()}`;
    const pattern = i % 5 === 0 ? `^ ${core} ^` : i % 11 === 0 ? `${OPENERS[i % OPENERS.length]} <set>colour</set> ${core}` : `${OPENERS[i % OPENERS.length]} ${core}`;
    const that = i % 4 === 0 ? 'WOULD YOU LIKE ANYTHING ELSE' : '*';
    const template =
      i % 7 === 0
        ? `<random><li>Answer ${i}: yes &amp; gladly.</li><li>Of course, <get name="name"/>!</li></random>`
        : i % 9 === 0
          ? `<srai>${OPENERS[0]} ${WORDS[i % WORDS.length]}</srai>`
          : `We can help with that (ref. ${i}): &lt;see the shop&gt; "every day", it's open.`;
    out.push({ pattern, that, topic: '*', template });
  }
  return out;
}

async function main(): Promise<void> {
  const categories = generate(COUNT);
  const header = { botName: 'bench', generatedAt: new Date(0) };
  const rows: Row[] = [];

  // Warm up the engine's validators and the writer on a small slice (JIT), then measure cold caches.
  serializeCategories(categories.slice(0, 2000), header);

  const validate = time(() => {
    let errors = 0;
    for (const c of categories) {
      for (const [field, text] of [['pattern', c.pattern], ['that', c.that], ['topic', c.topic], ['template', c.template]] as const) {
        if (validateCategoryField(field, text).some((d) => d.severity === 'error')) errors++;
      }
    }
    return errors;
  });
  if (validate.value !== 0) throw new Error(`${validate.value} generated fields did not validate`);
  rows.push({ step: 'validate every field (engine validators)', ms: validate.ms, cpuMs: validate.cpuMs, items: COUNT });

  const validated = new ValidatedFieldCache();
  const exported = time(() => serializeCategories(categories, header, { validated }));
  rows.push({
    step: "export = validate + build the file's text (in memory, not written)",
    ms: exported.ms,
    cpuMs: exported.cpuMs,
    items: COUNT,
    note: `${(exported.value.length / 1024 / 1024).toFixed(1)} MB; target < ${TARGET_MS} ms: ${exported.ms < TARGET_MS ? 'met' : 'missed'}`,
  });

  const one = [...categories, { pattern: 'A NEW CAPTURE', that: '*', topic: '*', template: 'Just learned.' }];
  const again = time(() => serializeCategories(one, header, { validated }));
  rows.push({ step: 're-export after one capture (fields seen before)', ms: again.ms, cpuMs: again.cpuMs, items: one.length });

  const parsed = time(() => parseCategories(exported.value, 'pand_livetraining.aiml'));
  if (parsed.value.categories.length !== COUNT) throw new Error(`read back ${parsed.value.categories.length} categories, wrote ${COUNT}`);
  rows.push({ step: 'read the file back (engine parseCategories)', ms: parsed.ms, cpuMs: parsed.cpuMs, items: COUNT });

  const dir = mkdtempSync(join(tmpdir(), 'bench-workspace-'));
  try {
    const store = new LiveTrainingStore({ bot: 'bench', ...botWorkspace(dir, 'bench') });
    const learned: LearnedCategory[] = categories.map((c) => ({ ...c }));
    const first = await timeAsync(() =>
      store.update((map) => {
        for (const c of learned) map.set(categoryKey(c), c);
      }),
    );
    rows.push({ step: 'workspace store: first write (validate, write, fsync, rename)', ...first, items: COUNT });
    const capture = await timeAsync(() => store.update((map) => void map.set('ONE MORE\u0000*\u0000*', { pattern: 'ONE MORE', that: '*', topic: '*', template: 'Captured.' })));
    rows.push({ step: 'workspace store: one capture into the full workspace', ...capture, items: COUNT + 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const combined = await combinedBotRows(categories);
  rows.push(...combined.rows);

  console.log(`Workspace benchmark: ${COUNT.toLocaleString('en')} generated categories, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
  console.log(table(rows));
  for (const note of combined.notes) console.log(note);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
