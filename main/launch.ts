// `npm start`: Studio with a local Platform, in Electron when its binary is available, else in the browser.
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { appDataDir, studioPaths } from './app-paths.js';
import { startBrowserHost } from './browser-host.js';
import { findOrFetchElectron } from './electron-binary.js';
import { embeddedPlatform } from './embedded-platform.js';
import { openInBrowser } from './open-browser.js';
import { findProjectRoot } from './project-root.js';
import { openConfSettings } from './settings/conf-store.js';
import { isConfigured } from './settings/schema.js';
import type { Settings } from './settings/settings.js';
import { Studio } from './studio.js';
import { createReplyCapture } from './workspace/reply-capture.js';
import { botWorkspace } from './workspace/workspace-files.js';

// Kept equal to electron/launcher-handoff.ts (main/ may not import electron/).
const HANDOFF_URL = 'STUDIO_LAUNCHER_PLATFORM_URL';
const HANDOFF_TOKEN = 'STUDIO_LAUNCHER_PLATFORM_TOKEN';

interface LaunchFlags {
  browser: boolean;
  open: boolean;
  port: number;
}

const USAGE = `Usage: npm start -- [--browser] [--no-open] [--port N]
  --browser   serve Studio in the browser even when Electron is available
  --no-open   do not open a browser window (browser mode)
  --port N    browser mode: serve Studio on 127.0.0.1:N (default: a free port)
Environment: STUDIO_DATA_DIR overrides the app-data folder (settings, local Platform, workspace).`;

function parseFlags(argv: string[], env: NodeJS.ProcessEnv): LaunchFlags {
  const flags: LaunchFlags = { browser: env.STUDIO_BROWSER === '1', open: env.STUDIO_NO_OPEN !== '1' && !env.CI, port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--browser') flags.browser = true;
    else if (a === '--no-open') flags.open = false;
    else if (a === '--port') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`--port needs a port number, got ${argv[i]}`);
      flags.port = n;
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`Unknown option ${a}.\n${USAGE}`);
  }
  return flags;
}

const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
const paths = studioPaths(appDataDir());
// Studio's own diagnostics go to stderr, warnings and up, so the few lines below stay readable.
const logger = pino({ name: 'studio', level: process.env.STUDIO_LOG_LEVEL ?? 'warn' }, pino.destination(2));

function openSettings(): Settings {
  const { settings, setAside } = openConfSettings(paths.settingsDir);
  if (setAside) console.log(`Studio's settings file could not be read; it was moved to ${setAside} and Studio starts with defaults.`);
  // `npm start` is the quick way in: with nothing configured yet, use the local Platform.
  if (!isConfigured(settings.get())) settings.update({ embedded: true });
  return settings;
}

/** The local Platform's bots are on this machine: captured patterns then use each bot's own substitutions. */
function embeddedBotDirectory(settings: Settings): (bot: string) => string | undefined {
  return (bot) => (settings.get().embedded ? join(paths.platformDir, 'bots', bot) : undefined);
}

function designerName(settings: Settings): () => string {
  return () => settings.get().designerName ?? (userInfo().username || 'Designer');
}

function printLine(label: string, value: string): void {
  console.log(`${label.padEnd(30)} ${value}`);
}

function printWorkspace(dir: string, bots: string[]): void {
  printLine('Workspace folder:', dir);
  for (const bot of bots.length ? bots : ['starter']) printLine(`Learned categories (${bot}):`, botWorkspace(dir, bot).aimlFile);
}

async function runBrowserMode(flags: LaunchFlags, settings: Settings): Promise<void> {
  const embedded = embeddedPlatform({ dataDir: paths.platformDir, designerName: designerName(settings), logger: logger.child({ name: 'platform' }) });
  const studio = new Studio({ host: 'browser', settings, defaultWorkspaceDir: paths.defaultWorkspaceDir, embedded, capture: createReplyCapture({ logger, botDirectory: embeddedBotDirectory(settings), localPlatformDir: () => (settings.get().embedded ? paths.platformDir : undefined) }), readMarksDir: join(paths.settingsDir, 'read-marks'), logger });
  const host = await startBrowserHost({ dispatcher: studio.dispatcher, events: studio.events, rendererDir: join(root, 'out', 'renderer'), port: flags.port, logger });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Studio…');
    await host.close();
    await studio.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  await studio.start();
  try {
    await studio.whenOnline(20_000);
  } catch (error) {
    console.log(`Studio could not reach its Platform yet: ${(error as Error).message} It keeps trying.`);
  }
  const state = studio.state();
  const platformUrl = studio.currentPlatformUrl;
  console.log('');
  if (platformUrl) {
    const bots = state.bots.length ? state.bots.map((b) => b.name) : ['starter'];
    for (const bot of bots) printLine(`Landing Page (${bot}):`, `${platformUrl}/chat/${bot}`);
  }
  printLine('Studio (browser mode):', host.url);
  printWorkspace(studio.workspaceDir(), state.bots.map((b) => b.name));
  console.log('\nPress Ctrl-C to stop.');
  if (flags.open && !openInBrowser(host.url)) console.log('(No browser found to open: open the Studio URL above yourself.)');
}

async function runElectron(executable: string, settings: Settings): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  let embedded: ReturnType<typeof embeddedPlatform> | undefined;
  if (settings.get().embedded) {
    // The local Platform runs here, in Node, and is handed to Electron (see electron/launcher-handoff.ts).
    embedded = embeddedPlatform({ dataDir: paths.platformDir, designerName: designerName(settings), logger: logger.child({ name: 'platform' }) });
    const { url, token } = await embedded.start();
    env[HANDOFF_URL] = url;
    env[HANDOFF_TOKEN] = token;
    console.log('');
    for (const bot of embedded.running?.bots() ?? ['starter']) printLine(`Landing Page (${bot}):`, `${url}/chat/${bot}`);
  }
  printWorkspace(settings.get().workspaceDir ?? paths.defaultWorkspaceDir, embedded?.running?.bots() ?? []);
  const child = spawn(executable, [root], { stdio: 'inherit', env });
  // Ctrl-C reaches Electron too (same terminal); wait for it to close, then stop the Platform.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 0)));
  await embedded?.close();
  process.exit(code);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), process.env);
  const settings = openSettings();
  if (!flags.browser) {
    const electron = await findOrFetchElectron(root);
    if (electron.found) return runElectron(electron.path, settings);
    console.log(`Electron is not available (${electron.reason}): serving Studio in browser mode instead.`);
  }
  await runBrowserMode(flags, settings);
}

main().catch((error: unknown) => {
  console.error(`Studio could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
