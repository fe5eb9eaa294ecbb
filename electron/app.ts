import { app, session, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { appDataDir, studioPaths } from '../main/app-paths.js';
import { isConfigured } from '../main/settings/schema.js';
import type { Settings } from '../main/settings/settings.js';
import { Studio, type EmbeddedPlatformPort } from '../main/studio.js';
import { installAppMenu } from './app-menu.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { EVENT_CHANNEL } from './ipc-channels.js';
import { registerStudioIpc } from './ipc.js';
import { saveDialogPort } from './save-dialog.js';
import { platformFromLauncher } from './launcher-handoff.js';
import { createMainWindow } from './main-window.js';
import { nativeNotifier } from './native-notifier.js';
import { hardenSession, hardenWebContents } from './security.js';
import { openElectronSettings } from './settings-store.js';
import { createReplyCapture } from '../main/workspace/reply-capture.js';
import { userInfo } from 'node:os';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const projectRoot = join(outDir, '..');

/** The in-process Platform, loaded only when used (it brings the database driver along). */
function inProcessPlatform(dataDir: string, designerName: () => string): EmbeddedPlatformPort {
  let loaded: Promise<EmbeddedPlatformPort> | undefined;
  const get = () => (loaded ??= import('../main/embedded-platform.js').then((m) => m.embeddedPlatform({ dataDir, designerName })));
  return {
    start: async () => (await get()).start(),
    renewToken: async () => (await get()).renewToken(),
    close: async () => {
      if (loaded) await (await loaded).close();
    },
  };
}

/**
 * The desktop app: one instance, one window on app://studio/, the Studio services behind IPC. Everything it does
 * beyond wiring lives in main/ and runs the same way in browser mode.
 */
export function startElectronApp(env: NodeJS.ProcessEnv = process.env): void {
  const paths = studioPaths(appDataDir());
  // Electron keeps its own caches there too; sharing the folder with browser mode keeps one set of settings.
  app.setPath('userData', paths.settingsDir);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();

  const logger = pino({ name: 'studio' });
  let win: BrowserWindow | undefined;
  let studio: Studio | undefined;
  let quitting = false;
  let settings: Settings | undefined;

  const bringForward = () => {
    if (!win || win.isDestroyed()) {
      win = undefined;
      if (studio) win = openWindow(studio);
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  function openWindow(s: Studio): BrowserWindow {
    const w = createMainWindow({
      settings: settings!,
      preloadPath: join(outDir, 'preload', 'index.cjs'),
      iconPath: join(projectRoot, 'resources', 'icons', 'icon.png'),
      onFocusChange: (focused) => s.setFocused(focused),
    });
    w.on('closed', () => {
      if (win === w) win = undefined;
    });
    return w;
  }

  app.on('second-instance', bringForward);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (studio && !win) win = openWindow(studio);
  });
  app.on('before-quit', (event) => {
    if (!studio || quitting) return;
    // Close the link and the local Platform cleanly before Electron goes.
    event.preventDefault();
    quitting = true;
    studio
      .close()
      .catch((error: unknown) => logger.error({ err: error }, 'closing Studio failed'))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(async () => {
      const opened = openElectronSettings(paths.settingsDir);
      settings = opened.settings;
      const setAside = opened.setAside;
      if (setAside) logger.warn(`The settings file could not be read; it was moved to ${setAside} and Studio starts with defaults.`);
      const handoff = platformFromLauncher(env);
      if (handoff && !isConfigured(settings.get())) settings.update({ embedded: true });
      const current = settings;
      const designerName = () => current.get().designerName ?? (userInfo().username || 'Designer');
      const s: Studio = new Studio({
        host: 'electron',
        settings: current,
        defaultWorkspaceDir: paths.defaultWorkspaceDir,
        notifier: nativeNotifier(bringForward, (id) => s.navigate(id)),
        embedded: handoff ?? inProcessPlatform(paths.platformDir, designerName),
        // The local Platform's bots are on this machine: captured patterns use each bot's own substitutions.
        capture: createReplyCapture({
          logger,
          botDirectory: (bot) => (current.get().embedded ? join(paths.platformDir, 'bots', bot) : undefined),
          localPlatformDir: () => (current.get().embedded ? paths.platformDir : undefined),
        }),
        // Exports of the Training view go through the native save dialog.
        saveFile: saveDialogPort(() => win, () => s.workspaceDir()),
        readMarksDir: join(paths.settingsDir, 'read-marks'),
        logger,
      });
      studio = s;
      hardenSession(session.defaultSession);
      serveRenderer(join(outDir, 'renderer'));
      registerStudioIpc(s.dispatcher, (contents) => !!win && !win.isDestroyed() && contents === win.webContents);
      s.events.subscribe((event) => {
        if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
      });
      installAppMenu(process.platform, !app.isPackaged);
      win = openWindow(s);
      await s.start();
    })
    .catch((error: unknown) => {
      logger.fatal({ err: error }, 'Studio could not start');
      app.exit(1);
    });
}
