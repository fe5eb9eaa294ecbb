import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfSettings } from '../../../main/settings/conf-store.js';
import { isConfigured, settingsView } from '../../../main/settings/schema.js';
import { appDataDir, studioPaths } from '../../../main/app-paths.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Studio settings', () => {
  it('start unconfigured with notifications on', () => {
    const { settings } = openConfSettings(dir);
    const s = settings.get();
    expect(isConfigured(s)).toBe(false);
    expect(s.notifications).toEqual({ newConversation: true, heldConversationMessage: true, badge: true });
  });

  it('keep a remote Platform and token across a restart', () => {
    openConfSettings(dir).settings.update({ platformUrl: 'https://bots.example.com', token: 'secret-token', designerName: 'Ada' });
    const again = openConfSettings(dir).settings.get();
    expect(again).toMatchObject({ platformUrl: 'https://bots.example.com', token: 'secret-token', designerName: 'Ada' });
    expect(isConfigured(again)).toBe(true);
  });

  it('never show the token to the renderer, only whether there is one', () => {
    const { settings } = openConfSettings(dir);
    const view = settingsView(settings.update({ platformUrl: 'https://bots.example.com', token: 'secret-token' }));
    expect(view.hasToken).toBe(true);
    expect(JSON.stringify(view)).not.toContain('secret-token');
  });

  it('refuse an invalid value and keep the file as it was', () => {
    const { settings } = openConfSettings(dir);
    settings.update({ designerName: 'Ada' });
    const before = readFileSync(settings.path, 'utf8');
    expect(() => settings.update({ platformUrl: 'not a url' })).toThrow();
    expect(() => settings.update({ window: { width: 10, height: 10, maximized: false } })).toThrow();
    expect(readFileSync(settings.path, 'utf8')).toBe(before);
    expect(settings.get().platformUrl).toBeUndefined();
  });

  it('clear an optional value when it is set to undefined', () => {
    const { settings } = openConfSettings(dir);
    settings.update({ platformUrl: 'https://bots.example.com', token: 't' });
    settings.update({ platformUrl: undefined, token: undefined, embedded: true });
    const again = openConfSettings(dir).settings.get();
    expect(again.token).toBeUndefined();
    expect(again.embedded).toBe(true);
  });

  it('set a broken settings file aside instead of failing or deleting it', () => {
    writeFileSync(join(dir, 'config.json'), '{ "embedded": tru');
    const { settings, setAside } = openConfSettings(dir, 1234);
    expect(settings.get().embedded).toBe(false);
    expect(setAside).toBe(join(dir, 'config.json.broken-1234'));
    expect(readFileSync(setAside!, 'utf8')).toBe('{ "embedded": tru');
  });

  it('set aside a file that breaks the schema', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ embedded: 'yes please' }));
    const { settings, setAside } = openConfSettings(dir, 99);
    expect(settings.get().embedded).toBe(false);
    expect(readdirSync(dir)).toContain('config.json.broken-99');
    expect(setAside).toBeDefined();
  });

  it('write the file readable by its owner only (it holds a token)', () => {
    const { settings } = openConfSettings(dir);
    settings.update({ token: 'x', platformUrl: 'http://127.0.0.1:1' });
    expect(statSync(settings.path).mode & 0o077).toBe(0);
  });

  it('tell listeners what changed', () => {
    const { settings } = openConfSettings(dir);
    const seen: boolean[] = [];
    settings.onChange((next, prev) => seen.push(next.notifications.badge, prev.notifications.badge));
    settings.update((s) => ({ ...s, notifications: { ...s.notifications, badge: false } }));
    expect(seen).toEqual([false, true]);
  });
});

describe('app data folder', () => {
  it('follows XDG on Linux, the usual places on macOS and Windows, and the env override', () => {
    expect(appDataDir({ platform: 'linux', env: {}, home: '/home/ada' })).toBe('/home/ada/.config/live-training-studio');
    expect(appDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x' }, home: '/home/ada' })).toBe('/x/live-training-studio');
    expect(appDataDir({ platform: 'darwin', env: {}, home: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/live-training-studio');
    expect(appDataDir({ platform: 'win32', env: { APPDATA: 'C:\\AppData' }, home: 'C:\\Users\\ada' })).toContain('live-training-studio');
    expect(appDataDir({ platform: 'linux', env: { STUDIO_DATA_DIR: '/tmp/s' }, home: '/home/ada' })).toBe('/tmp/s');
    expect(studioPaths('/d')).toEqual({ settingsDir: '/d', platformDir: '/d/platform', defaultWorkspaceDir: '/d/workspace' });
  });
});
