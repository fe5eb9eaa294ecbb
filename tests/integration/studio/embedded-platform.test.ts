import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { embeddedPlatform, type EmbeddedPlatform } from '../../../main/embedded-platform.js';
import { openConfSettings } from '../../../main/settings/conf-store.js';
import { Studio } from '../../../main/studio.js';

let dir: string | undefined;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function platformIn(d: string): EmbeddedPlatform {
  const p = embeddedPlatform({ dataDir: join(d, 'platform'), designerName: () => 'Ada' });
  open.push(p);
  return p;
}

describe("Studio's embedded Platform", () => {
  it('creates a local designer once and remembers its token (owner-only) and port across restarts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-embedded-'));
    const first = platformIn(dir);
    const a = await first.start();
    expect(first.running!.bots()).toContain('starter');
    const file = join(dir, 'platform', 'studio-designer.json');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ name: 'Ada', token: a.token });
    await first.close();

    const second = platformIn(dir);
    const b = await second.start();
    expect(b).toEqual(a); // same token, same URL (the port was free again)
    expect(second.movedFrom).toBeUndefined();
  });

  it('starts on another free port when the remembered one is taken', async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-embedded-'));
    const first = platformIn(dir);
    const a = await first.start();
    const second = embeddedPlatform({ dataDir: join(dir, 'platform-copy'), designerName: () => 'Ada' });
    open.push(second);
    // Another data folder that remembers the same port: the first Platform holds it.
    mkdirSync(join(dir, 'platform-copy'));
    copyFileSync(join(dir, 'platform', 'studio-designer.json'), join(dir, 'platform-copy', 'studio-designer.json'));
    const b = await second.start();
    expect(new URL(b.url).port).not.toBe(new URL(a.url).port);
    // ...and says which port it had to leave, so that the launcher can tell the designer.
    expect(second.movedFrom).toBe(Number(new URL(a.url).port));
  });

  it('lets Studio recover by itself when the remembered token no longer works', async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-embedded-'));
    const platform = platformIn(dir);
    await platform.start();
    const file = join(dir, 'platform', 'studio-designer.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), token: 'forgotten-by-the-platform' }));
    const { settings } = openConfSettings(join(dir, 'settings'));
    settings.update({ embedded: true });
    const studio = new Studio({ host: 'browser', settings, defaultWorkspaceDir: join(dir, 'ws'), embedded: platform });
    open.push(studio);
    await studio.start();
    await studio.whenOnline(10_000);
    expect(studio.state().link).toMatchObject({ status: 'online', embedded: true });
    await vi.waitFor(() => expect(JSON.parse(readFileSync(file, 'utf8')).token).not.toBe('forgotten-by-the-platform'));
  });
});
