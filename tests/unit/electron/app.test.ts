import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeFakeElectron, type FakeElectron } from './fake-electron.js';
import { FakeDesignerServer } from '../main/support/fake-designer-server.js';

// electron-store's own import of the real electron cannot run here (see fake-electron-store.ts).
vi.mock('electron-store', () => import('./fake-electron-store.js'));

// Each test runs its own app: a fresh Electron stand-in, data folder and Platform, so that every test passes alone
// and in any order (the app keeps module-level state, hence a fresh module graph and a fresh `electron` per test:
// vi.resetModules keeps mocked modules, so `electron` is mocked anew with vi.doMock).
const fake = { e: undefined as unknown as FakeElectron };
let dataDir: string;
let server: FakeDesignerServer;
let startElectronApp: (env: Record<string, string | undefined>) => void;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-electron-app-'));
  process.env.STUDIO_DATA_DIR = dataDir;
  server = await FakeDesignerServer.start();
  vi.resetModules();
  fake.e = makeFakeElectron();
  vi.doMock('electron', () => ({ default: fake.e.module, ...fake.e.module }));
  ({ startElectronApp } = await import('../../../electron/app.js'));
});

afterEach(async () => {
  // Quit the app the way Electron does, and wait until it has closed Studio (or had nothing to close).
  const preventDefault = vi.fn();
  fake.e.module.app.emit('before-quit', { preventDefault });
  if (preventDefault.mock.calls.length > 0) await vi.waitFor(() => expect(fake.e.module.app.quit).toHaveBeenCalled());
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.STUDIO_DATA_DIR;
});

/** Starts the app handed a Platform by the launcher, and waits until its one window is open and its link online. */
async function startOnline() {
  startElectronApp({ STUDIO_LAUNCHER_PLATFORM_URL: server.url, STUDIO_LAUNCHER_PLATFORM_TOKEN: 'good-token' });
  await vi.waitFor(() => expect(fake.e.windows).toHaveLength(1));
  await vi.waitFor(() => expect(server.connections).toHaveLength(1));
  server.welcome(server.last, [{ name: 'starter', lastEventId: 0, settings: (await import('../main/support/fixtures.js')).settings }]);
  const win = fake.e.windows[0]!;
  const invoke = fake.e.ipcHandlers.get('studio:invoke')!;
  const fromStudio = { sender: win.webContents, senderFrame: { url: 'app://studio/index.html', parent: null } };
  await vi.waitFor(async () => {
    const reply = (await invoke(fromStudio, 'app.state', {})) as { ok: boolean; result: { host: string; link: { status: string; embedded: boolean } } };
    expect(reply.result).toMatchObject({ host: 'electron', link: { status: 'online', embedded: true } });
  });
  return win;
}

describe('the desktop app', () => {
  it('quits at once when another Studio is already running', () => {
    fake.e.module.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    startElectronApp({});
    expect(fake.e.module.app.quit).toHaveBeenCalled();
    expect(fake.e.module.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(fake.e.windows).toHaveLength(0);
  });

  it('starts one secured window on app://studio/ with the Studio API behind IPC, connected to the Platform the launcher handed over', async () => {
    startElectronApp({ STUDIO_LAUNCHER_PLATFORM_URL: server.url, STUDIO_LAUNCHER_PLATFORM_TOKEN: 'good-token' });
    expect(fake.e.module.app.setPath).toHaveBeenCalledWith('userData', dataDir);
    // The scheme must be privileged before the app is ready.
    expect(fake.e.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(fake.e.calls.indexOf('whenReady'));
    await vi.waitFor(() => expect(fake.e.windows).toHaveLength(1));
    const win = fake.e.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: expect.stringMatching(/preload[\\/]index\.cjs$/) });
    expect(win.loadedUrl).toBe('app://studio/index.html');
    expect(fake.e.module.session.defaultSession.permissionCheckHandler!({}, 'media')).toBe(false);
    expect(fake.e.protocolHandlers.has('app')).toBe(true);
    expect(fake.e.module.Menu.setApplicationMenu).toHaveBeenCalled();

    await vi.waitFor(() => expect(server.connections).toHaveLength(1));
    expect(server.last.authorization).toBe('Bearer good-token');
    server.welcome(server.last, [{ name: 'starter', lastEventId: 0, settings: (await import('../main/support/fixtures.js')).settings }]);

    const invoke = fake.e.ipcHandlers.get('studio:invoke')!;
    const fromStudio = { sender: win.webContents, senderFrame: { url: 'app://studio/index.html', parent: null } };
    await vi.waitFor(async () => {
      const reply = (await invoke(fromStudio, 'app.state', {})) as { ok: boolean; result: { host: string; link: { status: string; embedded: boolean } } };
      expect(reply.result).toMatchObject({ host: 'electron', link: { status: 'online', embedded: true } });
    });
    // Pushed events reach the window.
    await vi.waitFor(() => expect(win.webContents.sent.some((s) => s.channel === 'studio:event')).toBe(true));
    // A second launch brings this window forward instead of opening another.
    fake.e.module.app.emit('second-instance');
    expect(win.focused).toBe(true);
    expect(fake.e.windows).toHaveLength(1);
    expect(fake.e.module.ipcMain.handle).toHaveBeenCalledTimes(1);
  });

  it('flashes the taskbar for a waiting user until the window is focused, and a notification clicked after the window was closed opens a window on that conversation', async () => {
    const { envelope, summary } = await import('../main/support/fixtures.js');
    const first = await startOnline();
    first.focused = false;
    first.emit('blur');
    server.send({ type: 'snapshot', bot: 'starter', lastEventId: 0, conversations: [] });
    server.send({ type: 'event', ...envelope(1, { type: 'conversation.started', conversation: summary('c1', { clientName: 'Rusty Sprocket' }) }) });
    await vi.waitFor(() => expect(fake.e.notifications.some((n) => n.options.body === 'Rusty Sprocket started talking to starter.')).toBe(true));
    expect(first.flashing).toBe(true);
    first.focused = true;
    first.emit('focus');
    expect(first.flashing).toBe(false);

    // The designer closes the window (macOS keeps Studio running), then clicks the notification.
    first.destroyed = true;
    first.emit('closed');
    fake.e.notifications.find((n) => n.options.body === 'Rusty Sprocket started talking to starter.')!.emit('click');
    expect(fake.e.windows).toHaveLength(2);
    const second = fake.e.windows[1]!;
    // The badge is sent again for the new window.
    const badgeCalls = fake.e.module.app.setBadgeCount.mock.calls.length;
    second.emit('ready-to-show');
    expect(fake.e.module.app.setBadgeCount.mock.calls.length).toBe(badgeCalls + 1);
    // Its page is not listening yet: the conversation is opened once the page calls the Studio API.
    expect(second.webContents.sent.some((s) => (s.payload as { type: string }).type === 'navigate')).toBe(false);
    const invoke = fake.e.ipcHandlers.get('studio:invoke')!;
    await invoke({ sender: second.webContents, senderFrame: { url: 'app://studio/index.html', parent: null } }, 'app.state', {});
    expect(second.webContents.sent.map((s) => s.payload)).toContainEqual({ type: 'navigate', conversationId: 'c1' });
  });

  it('closes Studio cleanly before quitting', async () => {
    await startOnline();
    const preventDefault = vi.fn();
    fake.e.module.app.emit('before-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.e.module.app.quit).toHaveBeenCalled());
    // Studio closed its link to the Platform before Electron went.
    await vi.waitFor(() => expect(server.connections[0]!.socket.readyState).toBe(server.connections[0]!.socket.CLOSED));
  });
});
