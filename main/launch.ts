// `npm start`: Studio with a local Platform, in Electron when its binary is available and can start here, else in
// the browser. (scripts/start.mjs checks Node and the options, builds, then runs this.)
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { appDataDir, studioPaths, type StudioPaths } from './app-paths.js';
import { listenOnStablePort, newBrowserKey, readBrowserAddress, saveBrowserAddress } from './browser-address.js';
import { startBrowserHost } from './browser-host.js';
import { locateElectron } from './electron-binary.js';
import { electronEnv, superviseElectron, type ElectronEnd } from './electron-run.js';
import { electronFirst } from './electron-first.js';
import { readElectronHostFacts, whyElectronCannotStart } from './electron-start-check.js';
import { embeddedPlatform, type EmbeddedPlatform } from './embedded-platform.js';
import { alreadyRunningLine, claimInstance, type InstanceLock } from './instance-lock.js';
import { parseLaunchFlags, USAGE, type LaunchFlags } from './launch-flags.js';
import { openLaunchLog, type LaunchLog } from './launch-log.js';
import { openInBrowser } from './open-browser.js';
import { findProjectRoot } from './project-root.js';
import { openConfSettings } from './settings/conf-store.js';
import { isConfigured } from './settings/schema.js';
import type { Settings } from './settings/settings.js';
import { Studio } from './studio.js';
import { TrainingWorkspace } from './workspace/training-workspace.js';
import { botWorkspace } from './workspace/workspace-files.js';

/** How long stopping may take before the launcher exits anyway (a stuck socket must not keep the ports). */
const STOP_DEADLINE_MS = 5_000;

const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

interface Launch {
  flags: LaunchFlags;
  paths: StudioPaths;
  dataDir: string;
  log: LaunchLog;
  lock: InstanceLock;
  settings: Settings;
  embedded: EmbeddedPlatform;
  /** Set on Ctrl-C / SIGTERM. */
  stopping: boolean;
  /** What to close on the way out, in order. */
  closers: (() => Promise<void>)[];
}

function openSettings(paths: StudioPaths): Settings {
  const { settings, setAside } = openConfSettings(paths.settingsDir);
  if (setAside) console.log(`Studio's settings file could not be read; it was moved to ${setAside} and Studio starts with defaults.`);
  // `npm start` is the quick way in: with nothing configured yet, use the local Platform.
  if (!isConfigured(settings.get())) settings.update({ embedded: true });
  return settings;
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

function printLandingPages(url: string, bots: string[]): void {
  for (const bot of bots.length ? bots : ['starter']) printLine(`Landing Page (${bot}):`, `${url}/chat/${bot}`);
}

function sayIfPlatformMoved(embedded: EmbeddedPlatform): void {
  const port = embedded.running?.port;
  if (embedded.movedFrom && port)
    console.log(`The local Platform's port from last time, ${embedded.movedFrom}, is taken by another program: it is on ${port} now, so the Landing Page and widget URLs changed.`);
}

async function stop(l: Launch, code: number): Promise<never> {
  const deadline = setTimeout(() => {
    console.log(`Stopping took longer than ${STOP_DEADLINE_MS / 1000} s; exiting anyway.`);
    l.lock.release();
    process.exit(code);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  for (const close of l.closers.reverse()) await close().catch((error: unknown) => l.log.logger.error({ err: error }, 'while stopping'));
  l.lock.release();
  process.exit(code);
}

async function runBrowserMode(l: Launch, logger: Logger): Promise<void> {
  const { paths, settings, embedded } = l;
  const workspace = new TrainingWorkspace({
    logger,
    botDirectory: (bot) => (settings.get().embedded ? join(paths.platformDir, 'bots', bot) : undefined),
    localPlatformDir: () => (settings.get().embedded ? paths.platformDir : undefined),
  });
  const studio = new Studio({
    host: 'browser',
    settings,
    defaultWorkspaceDir: paths.defaultWorkspaceDir,
    embedded,
    training: workspace,
    readMarksDir: join(paths.settingsDir, 'read-marks'),
    logger,
  });
  l.closers.push(() => studio.close());
  const remembered = readBrowserAddress(l.dataDir);
  const key = remembered?.key ?? newBrowserKey();
  const { server: host, movedFrom } = await listenOnStablePort(l.flags.port, remembered?.port, (port) =>
    startBrowserHost({ dispatcher: studio.dispatcher, events: studio.events, rendererDir: join(root, 'out', 'renderer'), port, secret: key, logger }),
  );
  l.closers.push(() => host.close());
  await saveBrowserAddress(l.dataDir, { port: host.port, key });

  await studio.start();
  try {
    await studio.whenOnline(20_000);
  } catch (error) {
    console.log(`Studio could not reach its Platform yet: ${(error as Error).message} It keeps trying.`);
  }
  const state = studio.state();
  const platformUrl = studio.currentPlatformUrl;
  await l.lock.update({ mode: 'browser', studioUrl: host.url, platformUrl: embedded.running?.url });
  console.log('');
  sayIfPlatformMoved(embedded);
  if (movedFrom) console.log(`Studio's port from last time, ${movedFrom}, is taken by another program: Studio is on ${host.port} now (a new URL, same key).`);
  if (platformUrl) printLandingPages(platformUrl, state.bots.map((b) => b.name));
  printLine('Studio (browser mode):', host.url);
  printWorkspace(studio.workspaceDir(), state.bots.map((b) => b.name));
  console.log('\nPress Ctrl-C to stop.');
  if (l.flags.open && !openInBrowser(host.url)) console.log('(No browser found to open: open the Studio URL above yourself.)');
}

async function runElectron(l: Launch, executable: string): Promise<ElectronEnd> {
  // The local Platform runs here, in Node, and is handed to Electron even when Settings point elsewhere now:
  // choosing it in Settings later must not make Electron open the database itself (built for another ABI).
  const platform = await l.embedded.start();
  await l.lock.update({ mode: 'electron', platformUrl: platform.url });
  console.log('');
  sayIfPlatformMoved(l.embedded);
  printLandingPages(platform.url, l.embedded.running?.bots() ?? []);
  printWorkspace(l.settings.get().workspaceDir ?? l.paths.defaultWorkspaceDir, l.embedded.running?.bots() ?? []);
  console.log('\nStudio opens in its own window. Close it (or press Ctrl-C here) to stop.');
  const child = spawn(executable, [root], { stdio: ['ignore', 'pipe', 'pipe'], env: electronEnv(process.env, platform) });
  // Ctrl-C reaches Electron too (same terminal): let it close, then stop the Platform.
  const onSignal = () => {
    if (l.stopping) return;
    l.stopping = true;
    child.kill('SIGTERM');
    // An Electron that does not close would keep the launcher, and so the Platform's port, forever.
    setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const end = await superviseElectron(child, { stopRequested: () => l.stopping, onOutput: (chunk) => l.log.electronOutput().write(chunk), sandboxHelper: join(dirname(executable), 'chrome-sandbox') });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return end;
}

async function main(): Promise<void> {
  const flags = parseLaunchFlags(process.argv.slice(2), process.env);
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const dataDir = appDataDir();
  const paths = studioPaths(dataDir);
  const claim = await claimInstance(dataDir);
  if (!claim.claimed) {
    // One Studio per data folder: a second one would open the local Platform's database again.
    console.log(alreadyRunningLine(claim.running, dataDir));
    if (claim.running.mode === 'browser' && claim.running.studioUrl && flags.open) openInBrowser(claim.running.studioUrl);
    return;
  }
  const lock = claim.lock;
  process.on('exit', () => lock.release());
  const log = openLaunchLog(dataDir, { verbose: flags.verbose, level: process.env.STUDIO_LOG_LEVEL });
  if (log.file) printLine('Log file:', log.file);
  const settings = openSettings(paths);
  const embedded = embeddedPlatform({ dataDir: paths.platformDir, designerName: designerName(settings), logger: log.logger.child({ name: 'platform' }) });
  const l: Launch = { flags, paths, dataDir, log, lock, settings, embedded, stopping: false, closers: [() => embedded.close()] };

  if (!flags.browser) {
    const how = await electronFirst({
      locate: () => locateElectron(root),
      check: (executable) => whyElectronCannotStart(readElectronHostFacts(executable)),
      run: (executable) => runElectron(l, executable),
      say: (line) => console.log(line),
      electronLog: log.electronFile,
    });
    if (how === 'closed') return stop(l, 0);
  }
  const onSignal = () => {
    // Stopping has a deadline (STOP_DEADLINE_MS), so a second Ctrl-C needs to do nothing.
    if (l.stopping) return;
    l.stopping = true;
    console.log('\nStopping Studio…');
    void stop(l, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await runBrowserMode(l, log.logger);
}

main().catch((error: unknown) => {
  console.error(`Studio could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
