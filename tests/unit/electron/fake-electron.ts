import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * The parts of Electron's main-process API that electron/ uses, as recording fakes, for `vi.mock('electron')`.
 * Electron cannot run here; these tests check what our glue asks of Electron (the security options, the
 * handlers it installs, how it answers IPC), which is where the glue can be wrong.
 */

/** What the fakes record; replaced by each makeFakeElectron() (one per test file, as vi.mock runs once per file). */
const registry = { windows: [] as FakeWindow[], notifications: [] as FakeNotification[], calls: [] as string[] };

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined;
  sent: { channel: string; payload: unknown }[] = [];
  replaced: string[] = [];
  session = { addedWords: [] as string[], addWordToSpellCheckerDictionary(word: string) {
    this.addedWords.push(word);
    return true;
  } };
  replaceMisspelling(word: string) {
    this.replaced.push(word);
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
}

export class FakeWindow extends EventEmitter {
  static fromWebContents = (wc: unknown) => registry.windows.find((w) => w.webContents === wc) ?? null;
  webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  loads = 0;
  /** The next loadURL of any window rejects with this (as Electron's does when the page fails to load). */
  static failNextLoad: Error | undefined;
  maximized = false;
  destroyed = false;
  focused = false;
  flashing = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    registry.windows.push(this);
    registry.calls.push('new BrowserWindow');
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    this.loads++;
    const failure = FakeWindow.failNextLoad;
    FakeWindow.failNextLoad = undefined;
    return failure ? Promise.reject(failure) : Promise.resolve();
  }
  isFocused() {
    return this.focused;
  }
  flashFrame(flag: boolean) {
    this.flashing = flag;
  }
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized;
  }
  getNormalBounds() {
    return { x: 40, y: 30, width: 1000, height: 700 };
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  show() {}
  focus() {
    this.focused = true;
  }
}

export class FakeNotification extends EventEmitter {
  static isSupported = vi.fn(() => true);
  shown = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
    registry.notifications.push(this);
  }
  show() {
    this.shown = true;
  }
}

export function makeFakeElectron() {
  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const windows: FakeWindow[] = [];
  const notifications: FakeNotification[] = [];
  const protocolHandlers = new Map<string, (req: Request) => Promise<Response> | Response>();
  const calls: string[] = [];
  registry.windows = windows;
  registry.notifications = notifications;
  registry.calls = calls;

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    setPath: vi.fn(),
    setBadgeCount: vi.fn((_count: number) => true),
    setAppUserModelId: vi.fn((_id: string) => {
      calls.push('setAppUserModelId');
    }),
    setAppLogsPath: vi.fn(),
    getPreferredSystemLanguages: vi.fn(() => ['en-GB', 'de-AT']),
    getPath: vi.fn((_name: string): string => {
      throw new Error('set app.getPath in the test that needs it');
    }),
    dock: { bounce: vi.fn((_type?: string) => 17), cancelBounce: vi.fn((_id: number) => undefined) },
    whenReady: vi.fn(() => {
      calls.push('whenReady');
      return Promise.resolve();
    }),
  });

  const session = {
    defaultSession: {
      availableSpellCheckerLanguages: ['de-DE', 'en-GB', 'en-US', 'fr'],
      setSpellCheckerLanguages: vi.fn(),
      permissionRequestHandler: undefined as undefined | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
      permissionCheckHandler: undefined as undefined | ((wc: unknown, permission: string) => boolean),
      setPermissionRequestHandler(h: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void) {
        this.permissionRequestHandler = h;
      },
      setPermissionCheckHandler(h: (wc: unknown, permission: string) => boolean) {
        this.permissionCheckHandler = h;
      },
    },
  };

  return {
    module: {
      app,
      BrowserWindow: FakeWindow,
      Notification: FakeNotification,
      ipcMain: {
        handle: vi.fn((channel: string, handler: (...args: unknown[]) => unknown) => {
          if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
          ipcHandlers.set(channel, handler);
          calls.push(`ipcMain.handle ${channel}`);
        }),
        on: vi.fn(),
      },
      protocol: {
        registerSchemesAsPrivileged: vi.fn(() => calls.push('registerSchemesAsPrivileged')),
        handle: vi.fn((scheme: string, h: (req: Request) => Promise<Response> | Response) => {
          calls.push(`protocol.handle ${scheme}`);
          protocolHandlers.set(scheme, h);
        }),
      },
      session,
      shell: { openExternal: vi.fn(async (_url: string): Promise<void> => undefined), showItemInFolder: vi.fn() },
      clipboard: { writeText: vi.fn() },
      screen: { getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]) },
      Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t, popup: vi.fn() })), setApplicationMenu: vi.fn() },
      dialog: {
        showSaveDialog: vi.fn(),
        showErrorBox: vi.fn(),
        showMessageBox: vi.fn(async (_win: unknown, _options: { buttons: string[] }) => ({ response: 0, checkboxChecked: false })),
      },
    },
    ipcHandlers,
    windows,
    notifications,
    protocolHandlers,
    calls,
    FakeWebContents,
  };
}

export type FakeElectron = ReturnType<typeof makeFakeElectron>;
