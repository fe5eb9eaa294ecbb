import { app, dialog, session, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appDataDir, studioPaths } from '../main/app-paths.js';
import { isConfigured } from '../main/settings/schema.js';
import type { Settings } from '../main/settings/settings.js';
import { Studio, type EmbeddedPlatformPort } from '../main/studio.js';
import { installAppMenu } from './app-menu.js';
import { applyAppIdentity } from './app-identity.js';
import { attentionRequests } from './attention.js';
import { ConversationOpener } from './conversation-opener.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { EVENT_CHANNEL } from './ipc-channels.js';
import { registerStudioIpc } from './ipc.js';
import { saveDialogPort } from './save-dialog.js';
import { hasLauncherHandoff, platformFromLauncher } from './launcher-handoff.js';
import { createMainWindow } from './main-window.js';
import { nativeNotifier } from './native-notifier.js';
import { hardenSession, hardenWebContents } from './security.js';
import { configureSpellChecker } from './spellcheck.js';
import { openElectronSettings } from './settings-store.js';
import { openStudioLog } from './studio-log.js';
import { TrainingWorkspace } from '../main/workspace/training-workspace.js';
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
export function startElectronApp(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): void {
  const paths = studioPaths(appDataDir());
  // Electron keeps its own caches there too; sharing the folder with browser mode keeps one set of settings.
  app.setPath('userData', paths.settingsDir);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  applyAppIdentity(platform);

  const { logger, file: logFile } = openStudioLog(app.isPackaged);
  const attention = attentionRequests(platform);
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

  const hasWindow = () => !!win && !win.isDestroyed();
  const opener = new ConversationOpener({ hasWindow, bringForward, navigate: (id) => studio?.navigate(id) });
  let notifier: ReturnType<typeof nativeNotifier> | undefined;

  function openWindow(s: Studio): BrowserWindow {
    opener.pageStarting();
    const w = createMainWindow({
      settings: settings!,
      preloadPath: join(outDir, 'preload', 'index.cjs'),
      iconPath: join(projectRoot, 'resources', 'icons', 'icon.png'),
      onFocusChange: (focused) => {
        s.setFocused(focused);
        if (focused) attention.stop(w);
      },
      log: logger,
      quit: () => app.quit(),
    });
    w.webContents.on('did-start-loading', () => {
      if (win === w) opener.pageStarting();
    });
    // The dock or launcher entry may not have taken a count sent while no window existed.
    w.once('ready-to-show', () => notifier?.reapplyBadge());
    w.on('closed', () => {
      if (win === w) win = undefined;
    });
    return w;
  }

  app.on('second-instance', bringForward);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, logger));
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
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
      if (app.isPackaged && hasLauncherHandoff(env)) logger.warn('Ignoring the development hand-off variables (STUDIO_LAUNCHER_PLATFORM_*): a packaged Studio runs its own local Platform.');
      const handoff = platformFromLauncher(env, app.isPackaged);
      if (handoff && !isConfigured(settings.get())) settings.update({ embedded: true });
      const current = settings;
      const designerName = () => current.get().designerName ?? (userInfo().username || 'Designer');
      // The local Platform's bots are on this machine: previews and checks use each bot's own files.
      const workspace = new TrainingWorkspace({
        logger,
        botDirectory: (bot) => (current.get().embedded ? join(paths.platformDir, 'bots', bot) : undefined),
        localPlatformDir: () => (current.get().embedded ? paths.platformDir : undefined),
      });
      const s: Studio = new Studio({
        host: 'electron',
        settings: current,
        defaultWorkspaceDir: paths.defaultWorkspaceDir,
        notifier: (notifier = nativeNotifier({
          platform,
          showConversation: (id) => opener.open(id),
          onUserWaiting: () => attention.request(win),
          log: logger,
        })),
        embedded: handoff ?? inProcessPlatform(paths.platformDir, designerName),
        training: workspace,
        // Exports of the Training view go through the native save dialog.
        saveFile: saveDialogPort(() => win, () => s.workspaceDir()),
        readMarksDir: join(paths.settingsDir, 'read-marks'),
        logger,
      });
      studio = s;
      hardenSession(session.defaultSession);
      configureSpellChecker(session.defaultSession, platform);
      serveRenderer(join(outDir, 'renderer'));
      registerStudioIpc(s.dispatcher, (contents) => {
        const fromWindow = hasWindow() && contents === win!.webContents;
        if (fromWindow) opener.pageCalled();
        return fromWindow;
      });
      s.events.subscribe((event) => {
        if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
      });
      installAppMenu(platform, !app.isPackaged, { logFile, log: logger });
      win = openWindow(s);
      await s.start();
    })
    .catch((error: unknown) => {
      logger.fatal({ err: error }, 'Studio could not start');
      // Said in a dialog: without one the window would just vanish (and a packaged app has no terminal).
      const where = logFile ? `\n\nThe log file has the details: ${logFile}` : '';
      dialog.showErrorBox('Live Training Studio could not start', `${(error as Error)?.message ?? String(error)}${where}`);
      app.exit(1);
    });
}
