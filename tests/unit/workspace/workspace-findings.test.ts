import { describe, expect, it } from 'vitest';
import { compileBot } from '../../../aiml/index.js';
import { analyseCategories } from '../../../main/workspace/category-analysis.js';
import type { LearnedCategory } from '../../../main/workspace/learned-category.js';
import { WorkspaceFindings } from '../../../main/workspace/workspace-findings.js';

/** The Training view's findings, kept one changed category at a time, agree with analysing everything again. */

const FILES = {
  'aiml/base.aiml': `<?xml version="1.0" encoding="UTF-8"?><aiml version="2.0">
    <category><pattern>HELLO</pattern><template>Hi there.</template></category>
    <category><pattern>WHAT ARE YOUR OPENING HOURS</pattern><template>Nine to five.</template></category>
    <category><pattern>DO YOU SHIP TO FRANCE</pattern><template>Yes.</template></category>
    <category><pattern>_ DELIVER</pattern><template>We deliver.</template></category>
    <category><pattern>*</pattern><template>Sorry?</template></category>
  </aiml>`,
};

const base = compileBot(FILES).bot;
const category = (pattern: string, template: string, input?: string): LearnedCategory => ({ pattern, that: '*', topic: '*', template, ...(input ? { source: { conversationId: 'c1', inputSeq: 1, replySeqs: [2], capturedAt: 1, input } } : {}) });

function full(categories: LearnedCategory[]): Map<string, unknown> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><aiml version="2.0">${categories.map((c) => `<category><pattern>${c.pattern}</pattern><template>${c.template}</template></category>`).join('')}</aiml>`;
  const combined = base.withOverlay({ 'aiml/pand_livetraining.aiml': xml }).bot;
  return analyseCategories({ base, combined }, categories);
}

const kinds = (m: Map<string, Array<{ kind: string }>>) => new Map([...m].map(([k, list]) => [k.split('\u0000')[0], list.map((f) => f.kind).sort()]));

describe('WorkspaceFindings', () => {
  it('keeps the findings of a capture, an edit and a removal as a full analysis gives them', async () => {
    const findings = new WorkspaceFindings();
    let learned = [category('HELLO', 'Hi there.'), category('WHAT ARE YOUR OPENING HOURS', 'Ten to six.')];
    let version = 1;
    const check = async () => {
      const got = await findings.of('files-1', () => base, version, learned);
      expect(kinds(got)).toEqual(kinds(full(learned) as Map<string, Array<{ kind: string }>>));
      return got;
    };
    const first = await check();
    expect(kinds(first).get('HELLO')).toEqual(['duplicate']);
    expect(kinds(first).get('WHAT ARE YOUR OPENING HOURS')).toEqual(['overrides']);

    // A capture whose input the bot's `_ DELIVER` takes first: unreachable.
    learned = [...learned, category('DO YOU DELIVER', 'Only on weekdays.', 'Do you deliver?')];
    version++;
    expect(kinds(await check()).get('DO YOU DELIVER')).toContain('unreachable');

    // The same pattern with the bot's answer: the override becomes a duplicate.
    learned = learned.map((c) => (c.pattern === 'WHAT ARE YOUR OPENING HOURS' ? { ...c, template: 'Nine to five.' } : c));
    version++;
    expect(kinds(await check()).get('WHAT ARE YOUR OPENING HOURS')).toEqual(['duplicate']);

    // Removed: its findings go.
    learned = learned.filter((c) => c.pattern !== 'HELLO');
    version++;
    expect(kinds(await check()).has('HELLO')).toBe(false);
  });

  it('answers the same version from what it holds, and builds once for views asking at the same time', async () => {
    const findings = new WorkspaceFindings();
    let builds = 0;
    const learned = [category('HELLO', 'Hi there.')];
    const [a, b] = await Promise.all([
      findings.of('files-1', () => (builds++, base), 1, learned),
      findings.of('files-1', () => (builds++, base), 1, learned),
    ]);
    expect(builds).toBe(1);
    expect(a).toBe(b);
    expect(await findings.of('files-1', () => (builds++, base), 1, learned)).toBe(a);
  });
});
