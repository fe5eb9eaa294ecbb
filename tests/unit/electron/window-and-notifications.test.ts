import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron.js';

const fake = vi.hoisted(() => ({ e: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { makeFakeElectron } = await import('./fake-electron.js');
  fake.e = makeFakeElectron();
  return { default: fake.e.module, ...fake.e.module };
});

// electron-store's own import of the real electron cannot run here (see fake-electron-store.ts).
vi.mock('electron-store', () => import('./fake-electron-store.js'));

const { createMainWindow } = await import('../../../electron/main-window.js');
const { nativeNotifier } = await import('../../../electron/native-notifier.js');
const { registerAppScheme, serveRenderer } = await import('../../../electron/app-protocol.js');
const { appMenuTemplate } = await import('../../../electron/app-menu.js');
const { restoreBounds } = await import('../../../electron/window-state.js');
const { openElectronSettings } = await import('../../../electron/settings-store.js');
const { openConfSettings } = await import('../../../main/settings/conf-store.js');

const dir = mkdtempSync(join(tmpdir(), 'studio-electron-'));
const windowDeps = { log: { warn: vi.fn() }, quit: vi.fn() };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('main window', () => {
  it('opens app://studio/ with an isolated, sandboxed renderer and only the preload bridge', () => {
    const { settings } = openConfSettings(join(dir, 'w1'));
    const win = createMainWindow({ settings, preloadPath: '/out/preload/index.cjs', onFocusChange: () => undefined, ...windowDeps }) as unknown as InstanceType<FakeElectron['module']['BrowserWindow']>;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, preload: '/out/preload/index.cjs' });
    expect(win.loadedUrl).toBe('app://studio/index.html');
  });

  it('remembers its size, place and maximised state, and puts them back next time', () => {
    const { settings } = openConfSettings(join(dir, 'w2'));
    const first = createMainWindow({ settings, preloadPath: 'p', onFocusChange: () => undefined, ...windowDeps }) as unknown as InstanceType<FakeElectron['module']['BrowserWindow']>;
    first.maximize();
    first.emit('close');
    expect(openConfSettings(join(dir, 'w2')).settings.get().window).toEqual({ x: 40, y: 30, width: 1000, height: 700, maximized: true });
    const second = createMainWindow({ settings, preloadPath: 'p', onFocusChange: () => undefined, ...windowDeps }) as unknown as InstanceType<FakeElectron['module']['BrowserWindow']>;
    expect(second.options).toMatchObject({ x: 40, y: 30, width: 1000, height: 700 });
    expect(second.maximized).toBe(true);
  });

  it('drops a remembered place that no display shows any more', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restoreBounds({ x: 3000, y: 100, width: 800, height: 600, maximized: false }, displays)).toEqual({ width: 800, height: 600 });
    expect(restoreBounds({ x: 100, y: 100, width: 800, height: 600, maximized: false }, displays)).toEqual({ x: 100, y: 100, width: 800, height: 600 });
    expect(restoreBounds(undefined, displays)).toEqual({ width: 1280, height: 820 });
  });

  it('reports focus changes (they decide whether held-conversation messages notify)', () => {
    const { settings } = openConfSettings(join(dir, 'w3'));
    const focus = vi.fn();
    const win = createMainWindow({ settings, preloadPath: 'p', onFocusChange: focus, ...windowDeps }) as unknown as InstanceType<FakeElectron['module']['BrowserWindow']>;
    win.emit('blur');
    win.emit('focus');
    expect(focus.mock.calls).toEqual([[false], [true]]);
  });
});

describe('native notifications', () => {
  it('shows a native notification that brings Studio forward on that conversation when clicked', () => {
    const showConversation = vi.fn();
    const n = nativeNotifier({ platform: 'linux', showConversation });
    n.show({ title: 'New conversation', body: 'Rusty Sprocket started talking to starter.', conversationId: 'c7' });
    const shown = fake.e.notifications.at(-1)!;
    expect(shown.options).toEqual({ title: 'New conversation', body: 'Rusty Sprocket started talking to starter.' });
    expect(shown.shown).toBe(true);
    shown.emit('click');
    expect(showConversation).toHaveBeenCalledWith('c7');
  });

  it('puts the unread count on the dock/taskbar badge', () => {
    nativeNotifier({ platform: 'darwin', showConversation: vi.fn() }).setBadge(5);
    expect(fake.e.module.app.setBadgeCount).toHaveBeenCalledWith(5);
  });

  it('stays quiet where the desktop has no notifications', () => {
    fake.e.module.Notification.isSupported.mockReturnValueOnce(false);
    const before = fake.e.notifications.length;
    nativeNotifier({ platform: 'linux', showConversation: vi.fn() }).show({ title: 't', body: 'b', conversationId: 'c' });
    expect(fake.e.notifications.length).toBe(before);
  });
});

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme', () => {
    registerAppScheme();
    expect(fake.e.module.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the renderer with the strict CSP on app://studio/ and nothing elsewhere', async () => {
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const renderer = join(dir, 'renderer');
    mkdirSync(renderer, { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Studio</title>');
    serveRenderer(renderer);
    const handle = fake.e.protocolHandlers.get('app')!;
    const page = await handle(new Request('app://studio/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Studio</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe');
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://studio/../../etc/passwd'))).status).toBe(404);
    expect((await handle(new Request('app://studio/%2e%2e/%2e%2e/secret.html'))).status).toBe(404);
  });
});

describe('app menu', () => {
  it('has the usual roles, and developer tools only in development', () => {
    const roles = (t: ReturnType<typeof appMenuTemplate>) => JSON.stringify(t);
    const mac = roles(appMenuTemplate('darwin', false));
    expect(mac).toContain('"appMenu"');
    for (const role of ['editMenu', 'windowMenu', 'togglefullscreen', 'zoomIn', 'close']) expect(mac).toContain(`"${role}"`);
    expect(mac).not.toContain('toggleDevTools');
    const linuxDev = roles(appMenuTemplate('linux', true));
    expect(linuxDev).not.toContain('"appMenu"');
    expect(linuxDev).toContain('"quit"');
    expect(linuxDev).toContain('toggleDevTools');
  });
});

describe('electron-store settings', () => {
  it('are given the options conf gets in browser mode, so both use the same file', () => {
    const shared = join(dir, 'shared');
    openConfSettings(shared).settings.update({ designerName: 'Ada', embedded: true });
    const fromElectron = openElectronSettings(shared).settings;
    expect(fromElectron.get()).toMatchObject({ designerName: 'Ada', embedded: true });
    fromElectron.update({ designerName: 'Bea' });
    expect(openConfSettings(shared).settings.get().designerName).toBe('Bea');
  });
});
