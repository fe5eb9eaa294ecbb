import type { Bot } from '../../aiml/index.js';
import { IncrementalAnalysis, analysisKey } from '../../aiml/learned/index.js';
import type { TrainingCategory } from '../../protocol/training.js';
import type { LearnedCategory } from './learned-category.js';

type Findings = TrainingCategory['findings'];

interface Applied {
  stamp: string;
  analysis: IncrementalAnalysis;
  /** What the analysis holds now, by key, with a fingerprint of what its findings depend on. */
  categories: Map<string, { fingerprint: string; category: LearnedCategory }>;
  findings: Map<string, Findings>;
  version: number;
}

/**
 * The Training view's conflicts and duplicates for one bot, kept up to date one changed category at a time (issue 13:
 * a capture on ALICE with 10,000 learned categories may not hold Studio's main process for more than 20 ms; analysing
 * everything again took seconds). The engine's IncrementalAnalysis is built once per version of the bot's other files,
 * in slices; after that a new mirror version costs a comparison of fingerprints and the work of the categories that
 * changed.
 */
export class WorkspaceFindings {
  private applied: Applied | undefined;
  private building: { stamp: string; done: Promise<{ analysis: IncrementalAnalysis; start: LearnedCategory[] }> } | undefined;

  async of(stamp: string, base: () => Bot, version: number, categories: readonly LearnedCategory[]): Promise<Map<string, Findings>> {
    let applied = this.applied;
    if (applied?.stamp === stamp && applied.version === version) return applied.findings;
    if (applied?.stamp !== stamp) {
      // One build per version of the bot's files, however many views ask meanwhile, in slices (the event loop gets
      // turns); it starts from the categories of the version asked first, and any later version is applied below as
      // changes against them.
      if (this.building?.stamp !== stamp) {
        const start = categories.slice();
        this.building = { stamp, done: IncrementalAnalysis.build(base(), start).then((analysis) => ({ analysis, start })) };
      }
      const { analysis, start } = await this.building.done;
      if (this.applied?.stamp !== stamp) {
        const held = new Map(start.map((c) => [identity(c).key, { fingerprint: fingerprint(c), category: c }]));
        this.applied = { stamp, analysis, categories: held, findings: analysis.all(), version: -1 };
      }
      applied = this.applied;
      if (applied.version === version) return applied.findings;
    }
    applyChanges(applied, categories);
    applied.version = version;
    return applied.findings;
  }
}

/**
 * Key and fingerprint (everything the findings of a learned category depend on) by category object: the mirror hands
 * the same objects for categories that did not change, so a new version costs a look-up per category, not a new
 * string (10,000 of them took ~20 ms).
 */
const identities = new WeakMap<LearnedCategory, { key: string; fingerprint: string }>();

function identity(c: LearnedCategory): { key: string; fingerprint: string } {
  let known = identities.get(c);
  if (known === undefined) {
    const before = c.source?.before;
    known = { key: analysisKey(c), fingerprint: [c.pattern, c.that, c.topic, c.template, c.source?.input ?? '', before ? JSON.stringify(before) : ''].join('\u0000') };
    identities.set(c, known);
  }
  return known;
}

function fingerprint(c: LearnedCategory): string {
  return identity(c).fingerprint;
}

/** Synchronous on purpose: no other view may see the analysis between a removal and the puts that follow it. */
function applyChanges(applied: Applied, categories: readonly LearnedCategory[]): void {
  const { analysis } = applied;
  const next = new Map<string, LearnedCategory>();
  for (const c of categories) next.set(identity(c).key, c);
  const changed = new Set<string>();
  for (const [key, held] of applied.categories) {
    if (next.has(key)) continue;
    for (const k of analysis.remove(held.category).changed) changed.add(k);
    applied.categories.delete(key);
    changed.add(key);
  }
  for (const [key, c] of next) {
    const print = fingerprint(c);
    if (applied.categories.get(key)?.fingerprint === print) continue;
    for (const k of analysis.put(c).changed) changed.add(k);
    applied.categories.set(key, { fingerprint: print, category: c });
  }
  for (const key of changed) {
    const list = analysis.findings(key);
    if (list.length > 0) applied.findings.set(key, list);
    else applied.findings.delete(key);
  }
}
