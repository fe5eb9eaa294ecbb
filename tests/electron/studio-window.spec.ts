import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { locateElectron } from '../../main/electron-binary.js';
import { startPlatform, type RunningPlatform } from '../../server/platform.js';
import { ChatUser } from '../integration/studio/support/chat-user.js';

const ROOT = resolve(import.meta.dirname, '../..');
const binary = locateElectron(ROOT);
// npm test reports this skip as "not run: the Electron binary is not installed (node_modules/electron/dist)".
test.skip(!binary.found, `the Electron binary is not available here (${binary.found ? '' : binary.reason})`);

let platform: RunningPlatform;
let dataDir: string;
let app: ElectronApplication | undefined;

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-electron-e2e-'));
  platform = await startPlatform({ dataDir: join(dataDir, 'platform'), logger: false });
});
test.afterEach(async () => {
  await app?.close();
  app = undefined;
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function launch(): Promise<ElectronApplication> {
  if (!binary.found) throw new Error('unreachable: skipped without a binary');
  const { token } = await platform.createDesigner('Ada');
  return electron.launch({
    executablePath: binary.path,
    args: [ROOT],
    env: { ...process.env, STUDIO_DATA_DIR: join(dataDir, 'studio'), STUDIO_LAUNCHER_PLATFORM_URL: platform.url, STUDIO_LAUNCHER_PLATFORM_TOKEN: token },
  });
}

test('Studio opens one secured window on app://studio/ that shows live conversations', async () => {
  app = await launch();
  const win = await app.firstWindow();
  await expect.poll(() => win.url()).toBe('app://studio/index.html');
  // Only the preload bridge reaches the page: no Node, no ipcRenderer.
  expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await win.evaluate(() => Object.keys((globalThis as unknown as { studio: object }).studio).sort())).toEqual(['invoke', 'onEvent']);
  expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');

  const list = win.getByRole('listbox', { name: 'Conversations' });
  await expect(list).toBeVisible();
  const user = await ChatUser.open(platform.url);
  try {
    user.say('Hello from an end user');
    await expect(list.getByRole('option')).toHaveCount(1);
  } finally {
    user.close();
  }
});

test('a second Studio does not open a second window', async () => {
  app = await launch();
  await app.firstWindow();
  const second = await launch();
  const closed = new Promise<void>((ok) => second.process().once('exit', () => ok()));
  await closed;
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('navigation away from Studio is refused', async () => {
  app = await launch();
  const win = await app.firstWindow();
  await expect.poll(() => win.url()).toBe('app://studio/index.html');
  // Listen after Studio's own will-navigate handler, so what this listener sees is Studio's decision already made.
  await app.evaluate(({ BrowserWindow }) => {
    const seen: { url: string; prevented: boolean }[] = [];
    (globalThis as { studioNavigations?: typeof seen }).studioNavigations = seen;
    BrowserWindow.getAllWindows()[0]!.webContents.on('will-navigate', (event, url) => seen.push({ url, prevented: event.defaultPrevented }));
  });
  await win.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await expect
    .poll(() => app!.evaluate(() => (globalThis as { studioNavigations?: unknown }).studioNavigations))
    .toEqual([{ url: 'https://example.com/', prevented: true }]);
  expect(win.url()).toBe('app://studio/index.html');
});

test('a crashed page offers "Reload", and Reload brings the inbox back', async () => {
  app = await launch();
  const win = await app.firstWindow();
  await expect(win.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  // The native dialog cannot be clicked from here: it answers "Reload" (button 0) and records what it was asked.
  await app.evaluate(({ dialog }) => {
    const asked: unknown[] = [];
    (globalThis as { askedAfterCrash?: unknown[] }).askedAfterCrash = asked;
    dialog.showMessageBox = (async (...args: unknown[]) => {
      asked.push(args.at(-1));
      return { response: 0, checkboxChecked: false };
    }) as typeof dialog.showMessageBox;
  });
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer());
  await expect
    .poll(() => app!.evaluate(() => JSON.stringify((globalThis as { askedAfterCrash?: unknown[] }).askedAfterCrash ?? [])))
    .toContain("Studio's page stopped working.");
  // The same window, with a fresh renderer process.
  const page = app.windows()[0]!;
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
});
