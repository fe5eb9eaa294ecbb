import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveVersions } from '../../../../server/bots/live-versions.js';

let root: string;
let source: string;
let versions: LiveVersions;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'live-'));
  source = join(root, 'source');
  mkdirSync(join(source, 'aiml'), { recursive: true });
  writeFileSync(join(source, 'aiml', 'a.aiml'), 'version one');
  versions = new LiveVersions(join(root, 'compiled'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('compiled versions', () => {
  it('a bot never compiled has no live folder and counts as uncompiled', () => {
    expect(versions.known('b')).toBe(false);
    expect(versions.liveDir('b')).toBeUndefined();
    expect(versions.state('b')).toMatchObject({ version: null, dirty: true });
  });

  it('a committed version is a frozen copy: later source edits do not change it', async () => {
    const { version, dir } = await versions.prepare('b', source);
    versions.commit('b', version, 1000);
    writeFileSync(join(source, 'aiml', 'a.aiml'), 'broken edit');
    expect(readFileSync(join(versions.liveDir('b')!, 'aiml', 'a.aiml'), 'utf8')).toBe('version one');
    expect(versions.liveDir('b')).toBe(dir);
    expect(versions.state('b')).toMatchObject({ version: 1, dirty: false, compiledAt: 1000 });
  });

  it('a discarded (failed) version leaves the live one in place', async () => {
    const first = await versions.prepare('b', source);
    versions.commit('b', first.version, 1000);
    writeFileSync(join(source, 'aiml', 'a.aiml'), 'broken');
    const second = await versions.prepare('b', source);
    await versions.discard('b', second.version);
    versions.markFailed('b');
    expect(existsSync(second.dir)).toBe(false);
    expect(readFileSync(join(versions.liveDir('b')!, 'aiml', 'a.aiml'), 'utf8')).toBe('version one');
    expect(versions.state('b')).toMatchObject({ version: 1, dirty: true });
  });

  it('a new version keeps the older copy until it is swapped in, then drops it', async () => {
    const first = await versions.prepare('b', source);
    versions.commit('b', first.version, 1);
    const second = await versions.prepare('b', source);
    versions.commit('b', second.version, 2);
    expect(existsSync(first.dir)).toBe(true);
    await versions.dropOtherVersions('b', second.version);
    expect(existsSync(first.dir)).toBe(false);
    expect(existsSync(second.dir)).toBe(true);
    expect(versions.state('b').version).toBe(2);
  });

  it('skips temp files of interrupted writes when copying', async () => {
    writeFileSync(join(source, 'aiml', '.tmp-a.aiml.abc'), 'partial');
    const { dir } = await versions.prepare('b', source);
    expect(existsSync(join(dir, 'aiml', '.tmp-a.aiml.abc'))).toBe(false);
  });
});
