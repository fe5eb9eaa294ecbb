import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron.js';

const fake = vi.hoisted(() => ({ e: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { makeFakeElectron } = await import('./fake-electron.js');
  fake.e = makeFakeElectron();
  return { default: fake.e.module, ...fake.e.module };
});

const { saveDialogPort } = await import('../../../electron/save-dialog.js');
// A folder of its own per test: each test passes alone and in any order.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-save-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('export through the native save dialog', () => {
  it('suggests the name in the workspace, writes where the designer chose, and says where', async () => {
    const target = join(dir, 'chosen.aiml');
    fake.e.module.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const win = { id: 1 };
    const port = saveDialogPort(() => win as never, () => '/home/ada/workspace');
    const outcome = await port.save({ suggestedName: 'pand_livetraining.aiml', text: '<aiml version="2.0"/>\n', filters: [{ name: 'AIML', extensions: ['aiml'] }] });
    expect(outcome).toEqual({ saved: true, path: target });
    expect(readFileSync(target, 'utf8')).toBe('<aiml version="2.0"/>\n');
    expect(readdirSync(dir)).toEqual(['chosen.aiml']); // no temporary file left behind
    expect(fake.e.module.dialog.showSaveDialog).toHaveBeenCalledWith(win, expect.objectContaining({ defaultPath: '/home/ada/workspace/pand_livetraining.aiml', filters: [{ name: 'AIML', extensions: ['aiml'] }] }));
  });

  it('writes nothing when the designer cancels', async () => {
    fake.e.module.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    const outcome = await saveDialogPort(() => undefined, () => dir).save({ suggestedName: 'x.aiml', text: 'x' });
    expect(outcome).toEqual({ saved: false });
    expect(readdirSync(dir)).toEqual([]);
  });
});
