import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compileBot } from '../../../aiml/index.js';
import { LiveTrainingStore } from '../../../main/workspace/live-training-store.js';
import { aiml, category, workspaceFixture, type Fixture } from './support/workspace-fixture.js';

let f: Fixture;
beforeEach(() => {
  f = workspaceFixture({ watch: true });
});
afterEach(() => f.close());

async function learn(input: string, reply: string) {
  const c = f.conversation(`c-${input}`);
  c.add('user', input);
  await c.reply(reply);
}
const view = () => f.ws.workspace('starter');

describe('the workspace file is watched', () => {
  it('shows an edit made outside Studio, keeping what Studio knows of the other categories', async () => {
    await learn('hello', 'Hi!');
    await view(); // the Training view is open: the folder is watched from now on
    const seen = f.host.changes();
    const file = f.files().aimlFile;
    writeFileSync(file, readFileSync(file, 'utf8').replace('</aiml>', `  ${category('HAND WRITTEN', 'By hand.')}\n</aiml>`));
    await vi.waitFor(() => expect(f.host.changes()).toBeGreaterThan(seen), { timeout: 3000 });
    const categories = (await view()).categories;
    expect(categories.map((c) => c.pattern).sort()).toEqual(['HAND WRITTEN', 'HELLO']);
    expect(categories.find((c) => c.pattern === 'HELLO')!.source?.conversationId).toBe('c-hello');
  });

  it('reports a broken edit with its line, keeps the categories it had, and keeps the broken text when it next writes', async () => {
    await learn('hello', 'Hi!');
    await view();
    const seen = f.host.changes();
    const file = f.files().aimlFile;
    const broken = readFileSync(file, 'utf8').replace('<template>Hi!</template>', '<template>Hi!</templat>');
    writeFileSync(file, broken);
    await vi.waitFor(() => expect(f.host.changes()).toBeGreaterThan(seen), { timeout: 3000 });
    const shown = await view();
    const brokenLine = broken.split('\n').findIndex((l) => l.includes('</templat>')) + 1;
    expect(shown.fileProblems[0]).toMatchObject({ file: 'pand_livetraining.aiml', severity: 'error', line: brokenLine });
    expect(shown.categories.map((c) => c.pattern)).toEqual(['HELLO']);
    expect(readFileSync(file, 'utf8')).toBe(broken); // nothing written over it yet

    await learn('goodbye', 'Bye!');
    const after = await view();
    expect(after.brokenCopy).toBeDefined();
    expect(readFileSync(after.brokenCopy!, 'utf8')).toBe(broken);
    expect(after.fileProblems).toEqual([]);
    const { diagnostics } = compileBot({ 'aiml/pand_livetraining.aiml': readFileSync(file, 'utf8') });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(after.categories.map((c) => c.pattern).sort()).toEqual(['GOODBYE', 'HELLO']);
  });

  it('does not report its own writes as outside edits', async () => {
    await view();
    // Acknowledgement instead of a fixed wait: the watcher, once its own write settled, reads the file again
    // (a store snapshot); when that read is done and its result handled, nothing may have been reported.
    const reads: Promise<unknown>[] = [];
    const snapshot = LiveTrainingStore.prototype.snapshot;
    const spy = vi.spyOn(LiveTrainingStore.prototype, 'snapshot').mockImplementation(function (this: LiveTrainingStore) {
      const read = snapshot.call(this);
      reads.push(read);
      return read;
    });
    try {
      await learn('hello', 'Hi!');
      const seen = f.host.changes();
      const readsBefore = reads.length;
      await vi.waitFor(() => expect(reads.length).toBeGreaterThan(readsBefore), { timeout: 5000 });
      await reads.at(-1);
      await new Promise((r) => setImmediate(r)); // the watcher handles the read's result on the next turn at most
      expect(f.host.changes()).toBe(seen);
    } finally {
      spy.mockRestore();
    }
  });

  it('takes a file written from scratch by another tool', async () => {
    await view();
    writeFileSync(f.files().aimlFile, aiml(category('FROM A SCRIPT', 'Generated.')));
    await vi.waitFor(async () => expect((await view()).categories.map((c) => c.pattern)).toEqual(['FROM A SCRIPT']), { timeout: 3000 });
    expect(existsSync(`${f.files().aimlFile}.broken-0`)).toBe(false);
  });
});
