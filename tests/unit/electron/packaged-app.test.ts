import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeFakeElectron, type FakeElectron } from './fake-electron.js';
import { FakeDesignerServer } from '../main/support/fake-designer-server.js';

// electron-store's own import of the real electron cannot run here (see fake-electron-store.ts).
vi.mock('electron-store', () => import('./fake-electron-store.js'));

// Each test runs its own app (a fresh module graph and a fresh `electron` stand-in), so that each passes alone and in
// any order: the app keeps module-level state. vi.resetModules keeps mocked modules, so `electron` is mocked anew.
const fake = { e: undefined as unknown as FakeElectron };
let dataDir: string;
let logsDir: string;
let server: FakeDesignerServer;
let startElectronApp: (env: Record<string, string | undefined>, platform?: NodeJS.Platform) => void;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-packaged-'));
  logsDir = join(dataDir, 'logs');
  process.env.STUDIO_DATA_DIR = dataDir;
  server = await FakeDesignerServer.start();
  vi.resetModules();
  fake.e = makeFakeElectron();
  vi.doMock('electron', () => ({ default: fake.e.module, ...fake.e.module }));
  ({ startElectronApp } = await import('../../../electron/app.js'));
  // A packaged app, with its log folder where the test can read it.
  fake.e.module.app.isPackaged = true;
  fake.e.module.app.getPath.mockImplementation((name: string) => (name === 'logs' ? logsDir : dataDir));
});

afterEach(async () => {
  fake.e.module.app.emit('before-quit', { preventDefault: () => undefined });
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.STUDIO_DATA_DIR;
});

type AppStateEvent = { type: string; state?: { link: { status: string } } };

describe('the packaged desktop app', () => {
  it('refuses the development hand-off, logs to a file in the app log folder, shows that path in Help, and claims its AppUserModelID on Windows', async () => {
    const app = fake.e.module.app;
    startElectronApp({ STUDIO_LAUNCHER_PLATFORM_URL: server.url, STUDIO_LAUNCHER_PLATFORM_TOKEN: 'good-token' }, 'win32');
    expect(app.setAppUserModelId).toHaveBeenCalledWith('com.livetraining.studio');
    expect(app.setAppLogsPath).toHaveBeenCalled();

    await vi.waitFor(() => expect(fake.e.windows).toHaveLength(1));
    const win = fake.e.windows[0]!;
    // Order matters: the AppUserModelID before anything is shown; the app:// handler and the Studio API before the
    // window's page can ask for them.
    const calls = fake.e.calls;
    expect(calls.indexOf('setAppUserModelId')).toBeLessThan(calls.indexOf('whenReady'));
    expect(calls.indexOf('protocol.handle app')).toBeLessThan(calls.indexOf('new BrowserWindow'));
    expect(calls.indexOf('ipcMain.handle studio:invoke')).toBeLessThan(calls.indexOf('new BrowserWindow'));
    expect(calls.indexOf('protocol.handle app')).toBeGreaterThan(-1);
    // Studio settles unconfigured (the first-run screen), not connected to the server the environment named.
    await vi.waitFor(() => expect(win.webContents.sent.map((s) => s.payload as AppStateEvent).some((p) => p.type === 'app.state' && p.state?.link.status === 'unconfigured')).toBe(true));
    expect(server.connections).toHaveLength(0);

    const logFile = join(logsDir, 'studio.log');
    await vi.waitFor(() => expect(existsSync(logFile) && readFileSync(logFile, 'utf8')).toContain('Ignoring the development hand-off variables'));
    const menu = JSON.stringify(fake.e.module.Menu.buildFromTemplate.mock.calls.at(-1)![0]);
    expect(menu).toContain(`Log file: ${logFile}`.replace(/\\/g, '\\\\'));
    expect(menu).not.toContain('toggleDevTools');
  });

  it('says in a dialog why it could not start, with the log file, instead of vanishing', async () => {
    fake.e.module.screen.getAllDisplays.mockImplementationOnce(() => {
      throw new Error('No display is connected.');
    });
    startElectronApp({}, 'linux');
    await vi.waitFor(() => expect(fake.e.module.app.exit).toHaveBeenCalledWith(1));
    expect(fake.e.module.dialog.showErrorBox).toHaveBeenCalledWith('Live Training Studio could not start', expect.stringContaining('No display is connected.'));
    expect(fake.e.module.dialog.showErrorBox.mock.calls[0]![1]).toContain(join(logsDir, 'studio.log'));
  });
});
