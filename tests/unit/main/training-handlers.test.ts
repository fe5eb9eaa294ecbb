import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfSettings } from '../../../main/settings/conf-store.js';
import { Studio } from '../../../main/studio.js';
import type { TrainingWorkspacePort } from '../../../main/workspace/training-workspace-port.js';

let dir: string;
let studio: Studio | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-training-'));
});
afterEach(async () => {
  await studio?.close();
  studio = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Any object with the workspace's interface, not a TrainingWorkspace: the handlers must not care which class it is. */
function recordingWorkspace(calls: string[]): TrainingWorkspacePort {
  const refuse = (): never => {
    throw new Error('not expected in this test');
  };
  return {
    workspace: refuse,
    validate: (field, text) => {
      calls.push(`validate ${field} ${text}`);
      return { diagnostics: [] };
    },
    update: refuse,
    remove: async (bot, ids) => {
      calls.push(`remove ${bot} ${ids.join(',')}`);
      return { removed: ids.length };
    },
    approve: refuse,
    setContext: refuse,
    contextOf: refuse,
    useInput: refuse,
    history: refuse,
    undoEntry: async (bot, opId, baseVersion) => {
      calls.push(`undo ${bot} ${opId} at ${baseVersion}`);
      return { outcome: 'conflict' };
    },
    undoLast: async (bot, designerId) => {
      calls.push(`undo last of ${designerId} on ${bot}`);
      return { outcome: 'applied', undone: 'your edit of HELLO' };
    },
    resolve: refuse,
    unansweredGroups: refuse,
    answerUnanswered: refuse,
    ignoreUnanswered: refuse,
    suggest: refuse,
    preview: refuse,
    exportFile: refuse,
    importFile: refuse,
    refresh: refuse,
    publish: refuse,
    setAutoPublish: refuse,
    setCredentials: refuse,
  };
}

function makeStudio(training?: TrainingWorkspacePort): Studio {
  const { settings } = openConfSettings(join(dir, 'settings'));
  studio = new Studio({ host: 'browser', settings, defaultWorkspaceDir: join(dir, 'ws'), ...(training ? { training } : {}) });
  return studio;
}

describe("the Studio API's training methods", () => {
  it('are served by whatever workspace the composition hands over', async () => {
    const calls: string[] = [];
    const s = makeStudio(recordingWorkspace(calls));
    expect(await s.dispatcher.invoke('training.remove', { bot: 'starter', ids: ['a', 'b'] })).toEqual({ ok: true, result: { removed: 2 } });
    expect(await s.dispatcher.invoke('training.validate', { field: 'pattern', text: 'HELLO' })).toEqual({ ok: true, result: { diagnostics: [] } });
    expect(await s.dispatcher.invoke('training.undoEntry', { bot: 'starter', opId: 'op7', baseVersion: 3 })).toEqual({ ok: true, result: { outcome: 'conflict' } });
    expect(await s.dispatcher.invoke('training.undoLast', { bot: 'starter', designerId: 'd1' })).toEqual({ ok: true, result: { outcome: 'applied', undone: 'your edit of HELLO' } });
    expect(calls).toEqual(['remove starter a,b', 'validate pattern HELLO', 'undo starter op7 at 3', 'undo last of d1 on starter']);
  });

  it('say plainly that this Studio has no workspace when none was handed over', async () => {
    const s = makeStudio();
    const reply = await s.dispatcher.invoke('training.workspace', { bot: 'starter' });
    expect(reply).toEqual({ ok: false, error: { code: 'unavailable', message: 'This Studio has no AIML workspace.' } });
  });
});
