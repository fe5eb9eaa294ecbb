import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron.js';
import { FakeDesignerServer } from '../main/support/fake-designer-server.js';

const fake = vi.hoisted(() => ({ e: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { makeFakeElectron } = await import('./fake-electron.js');
  fake.e = makeFakeElectron();
  return { default: fake.e.module, ...fake.e.module };
});
// electron-store's own import of the real electron cannot run here (see fake-electron-store.ts).
vi.mock('electron-store', () => import('./fake-electron-store.js'));

const dataDir = mkdtempSync(join(tmpdir(), 'studio-electron-app-'));
process.env.STUDIO_DATA_DIR = dataDir;
const { startElectronApp } = await import('../../../electron/app.js');
const server = await FakeDesignerServer.start();

afterAll(async () => {
  fake.e.module.app.emit('before-quit', { preventDefault: () => undefined });
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.STUDIO_DATA_DIR;
});

describe('the desktop app', () => {
  it('quits at once when another Studio is already running', () => {
    fake.e.module.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    startElectronApp({});
    expect(fake.e.module.app.quit).toHaveBeenCalled();
    expect(fake.e.module.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(fake.e.windows).toHaveLength(0);
  });

  it('starts one secured window on app://studio/ with the Studio API behind IPC, connected to the Platform the launcher handed over', async () => {
    fake.e.module.app.quit.mockClear();
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
    const first = fake.e.windows[0]!;
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
    const preventDefault = vi.fn();
    fake.e.module.app.emit('before-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.e.module.app.quit).toHaveBeenCalled());
  });
});
