import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveVersions } from '../../../../server/bots/live-versions.js';
import { type ManagedBotRegistry, openBotRegistry } from '../../../../server/bots/registry.js';
import { ManualClock } from '../../../support/manual-clock.js';

let dataDir: string;
let clock: ManualClock;
let registry: ManagedBotRegistry | undefined;
let logLines: Array<Record<string, unknown>>;

/** A pino logger that keeps every line, as JSON, for the test to read. */
function recordingLogger() {
  return pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
}

const aiml = (template: string) =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0"><category><pattern>XTEST</pattern><template>${template}</template></category></aiml>\n`);

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'corrupt-state-'));
  clock = new ManualClock();
  logLines = [];
});
afterEach(async () => {
  await registry?.close();
  registry = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a corrupt state.json of a compiled bot', () => {
  it('is logged as an error with the file and the cause, kept aside, and the bot is compiled again from its files', async () => {
    registry = await openBotRegistry({ dataDir, clock, logger: pino({ level: 'silent' }) });
    registry.createBot('testbot');
    registry.writeFile('testbot', { kind: 'file', name: 'main' }, aiml('Version one.'));
    expect((await registry.verify('testbot')).ok).toBe(true);
    // A later edit, not verified: the compiled copy still says "Version one."
    registry.writeFile('testbot', { kind: 'file', name: 'main' }, aiml('Version two.'));
    await registry.close();

    const stateFile = join(dataDir, 'compiled', 'testbot', 'state.json');
    writeFileSync(stateFile, '{"version": 1, "dir');
    registry = await openBotRegistry({ dataDir, clock, logger: recordingLogger() });

    // Compiled from its files, so it answers (with what the files say now) instead of going offline.
    expect(registry.respond('testbot', 'c', 'xtest').text).toBe('Version two.');
    const keptAt = `${stateFile}.corrupt-${clock.now()}`;
    expect(readFileSync(keptAt, 'utf8')).toBe('{"version": 1, "dir');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ dirty: false });

    const line = logLines.find((l) => l.level === 50 && l.file === stateFile);
    expect(line).toMatchObject({ bot: 'testbot', keptAt });
    expect(line!.msg).toContain('state.json of bot testbot is corrupt');
    expect((line!.err as { message: string; stack: string }).stack).toContain('SyntaxError');

    // Operators see it in the bot's status (and so in the bot list) after the recompile too.
    expect(registry.status('testbot').stateFileReset).toMatchObject({ keptAt, at: clock.now() });
    expect(registry.status('testbot').stateFileReset!.reason).toMatch(/JSON/);
  });

  it('a state.json that is JSON but not a state is put aside too, and says which field is wrong', () => {
    const versions = new LiveVersions(join(dataDir, 'compiled'), { logger: recordingLogger(), now: () => 42 });
    versions.commit('b', 1, 1000);
    const stateFile = join(dataDir, 'compiled', 'b', 'state.json');
    writeFileSync(stateFile, JSON.stringify({ version: 'one', dirty: false }));
    expect(versions.state('b')).toEqual({ version: null, dirty: true });
    expect(versions.known('b')).toBe(false);
    expect(existsSync(`${stateFile}.corrupt-42`)).toBe(true);
    expect(versions.corruptState('b')).toMatchObject({ file: stateFile, keptAt: `${stateFile}.corrupt-42` });
    expect(versions.corruptState('b')!.reason).toMatch(/^not a valid state: version: /);
    expect(logLines.filter((l) => l.level === 50)).toHaveLength(1);
  });

  it('a bot with no state.json yet is simply never compiled: nothing is logged or put aside', () => {
    const versions = new LiveVersions(join(dataDir, 'compiled'), { logger: recordingLogger() });
    expect(versions.state('fresh')).toEqual({ version: null, dirty: true });
    expect(versions.corruptState('fresh')).toBeUndefined();
    expect(logLines).toEqual([]);
  });
});
