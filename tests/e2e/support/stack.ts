import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host.js';
import { openConfSettings } from '../../../main/settings/conf-store.js';
import { Studio, type LinkTuning } from '../../../main/studio.js';
import { createReplyCapture } from '../../../main/workspace/reply-capture.js';
import { botWorkspace } from '../../../main/workspace/workspace-files.js';
import { startPlatform, type RunningPlatform } from '../../../server/platform.js';

export interface StackOptions {
  /** The bots' inactivity timeout (default: the Platform's 15 minutes); shorten it for hand-back stories. */
  inactivityTimeoutMs?: number;
  /** One Studio per designer name, each with its own settings and workspace. Default: one designer, "Ada". */
  designers?: string[];
  /** Reconnect and heartbeat timing of the Studios' links; quick by default so restarts heal fast. */
  link?: LinkTuning;
}

export interface StudioUnderTest {
  name: string;
  studio: Studio;
  host: BrowserHost;
  workspaceDir: string;
  /** The folder with this Studio's settings, read marks and memory (its app-data folder). */
  home: string;
}

export interface Stack {
  /** The Platform's base URL (stable across restartPlatform). */
  readonly platformUrl: string;
  /** The Landing Page where an end user chats with the bot. */
  landingUrl(bot?: string): string;
  /** The designer's Studio in browser mode (secret included). */
  studioUrl(designer: string): string;
  /** Where that designer's Studio writes the bot's learned categories. */
  workspaceFile(designer: string, bot?: string): string;
  /** The Platform's data folder (its bots' files are in `bots/<name>`). */
  readonly platformDataDir: string;
  /** The Platform's Pandorabots API app id and user key (what a designer enters in Studio to publish). */
  readonly apiCredentials: { appId: string; userKey: string };
  /** The designer's running Studio services, for assertions a page cannot make. */
  designer(name: string): StudioUnderTest;
  /** Stops the Platform and starts it again on the same data and port (Studios reconnect on their own). */
  restartPlatform(): Promise<void>;
  /**
   * Stops that designer's Studio (its browser host and main services) and starts it again on the same settings,
   * app-data files, port and URL: what quitting and reopening Studio does. Open pages lose their connection.
   */
  restartStudio(name: string): Promise<void>;
  /** Stops the Platform (for stories that look at Studio while it is down); `startPlatform` brings it back. */
  stopPlatform(): Promise<void>;
  startPlatform(): Promise<void>;
  close(): Promise<void>;
}

const REPO = resolve(import.meta.dirname, '../../..');
const QUICK_LINK: LinkTuning = { backoff: { baseMs: 100, capMs: 1_000 }, heartbeatMs: 5_000, deadPeerMs: 5_000, requestTimeoutMs: 15_000 };

/**
 * The end-to-end stack every story uses: a real Platform (in-process, on a temporary data folder and a free port)
 * and one real Studio per designer, served in browser mode exactly as `npm start` serves it, connected to that
 * Platform with a designer token. Everything lives under one temporary folder, removed by `close()`.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const root = mkdtempSync(join(tmpdir(), 'lts-stack-'));
  const dataDir = join(root, 'platform');
  const studios = new Map<string, StudioUnderTest>();
  let platform: RunningPlatform | undefined;
  let port = 0;

  const launch = async () => {
    // The port of a Platform that just closed can take a moment to be free again.
    for (let attempt = 0; ; attempt++) {
      try {
        platform = await startPlatform({ dataDir, port, logger: false, defaultInactivityTimeoutMs: options.inactivityTimeoutMs });
        port = platform.port;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const close = async () => {
    for (const s of studios.values()) {
      await s.host.close();
      await s.studio.close();
    }
    studios.clear();
    await platform?.close();
    platform = undefined;
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await launch();
    const platformUrl = platform!.url;
    for (const [i, name] of (options.designers ?? ['Ada']).entries()) {
      const home = join(root, `studio-${i + 1}`);
      mkdirSync(home, { recursive: true });
      const { token } = await platform!.createDesigner(name);
      const { settings } = openConfSettings(join(home, 'settings'));
      settings.update({ embedded: false, platformUrl, token, designerName: name });
      await openStudio(name, home);
    }
  } catch (error) {
    await close();
    throw error;
  }

  // One designer's Studio as `npm start` runs it in browser mode; `reuse` keeps the URL of a restarted one.
  async function openStudio(name: string, home: string, reuse?: { port: number; secret: string }): Promise<void> {
    const { settings } = openConfSettings(join(home, 'settings'));
    const workspace = createReplyCapture({ botDirectory: (bot) => join(dataDir, 'bots', bot) });
    const studio = new Studio({
      host: 'browser',
      settings,
      defaultWorkspaceDir: join(home, 'workspace'),
      capture: workspace,
      training: workspace,
      link: { ...QUICK_LINK, ...options.link },
      readMarksDir: join(home, 'read-marks'),
    });
    const host = await startBrowserHost({ dispatcher: studio.dispatcher, events: studio.events, rendererDir: join(REPO, 'out', 'renderer'), ...reuse });
    studios.set(name, { name, studio, host, workspaceDir: join(home, 'workspace'), home });
    await studio.start();
    await studio.whenOnline(15_000);
  }

  const designer = (name: string) => {
    const s = studios.get(name);
    if (!s) throw new Error(`No Studio for designer ${name}; the stack has ${[...studios.keys()].join(', ')}.`);
    return s;
  };

  return {
    platformUrl: platform!.url,
    platformDataDir: dataDir,
    apiCredentials: { ...platform!.apiCredentials },
    landingUrl: (bot = 'starter') => `${platform?.url ?? `http://127.0.0.1:${port}`}/chat/${bot}`,
    studioUrl: (name) => designer(name).host.url,
    workspaceFile: (name, bot = 'starter') => botWorkspace(designer(name).workspaceDir, bot).aimlFile,
    designer,
    async restartStudio(name) {
      const s = designer(name);
      const reuse = { port: s.host.port, secret: new URL(s.host.url).searchParams.get('key') ?? '' };
      await s.host.close();
      await s.studio.close();
      studios.delete(name);
      await openStudio(name, s.home, reuse);
    },
    async restartPlatform() {
      await platform?.close();
      platform = undefined;
      await launch();
    },
    async stopPlatform() {
      await platform?.close();
      platform = undefined;
    },
    async startPlatform() {
      if (!platform) await launch();
    },
    close,
  };
}
