import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron.js';

const fake = vi.hoisted(() => ({ e: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { makeFakeElectron } = await import('./fake-electron.js');
  fake.e = makeFakeElectron();
  return { default: fake.e.module, ...fake.e.module };
});
vi.mock('electron-store', () => import('./fake-electron-store.js'));

const { notificationText, BODY_CHARS, TITLE_CHARS } = await import('../../../electron/notification-text.js');
const { nativeNotifier } = await import('../../../electron/native-notifier.js');
const { attentionRequests } = await import('../../../electron/attention.js');
const { contextMenuTemplate, installContextMenu } = await import('../../../electron/context-menu.js');
const { createMainWindow } = await import('../../../electron/main-window.js');
const { openInBrowser } = await import('../../../electron/open-in-browser.js');
const { hardenWebContents } = await import('../../../electron/security.js');
const { appMenuTemplate } = await import('../../../electron/app-menu.js');
const { ConversationOpener } = await import('../../../electron/conversation-opener.js');
const { openStudioLog, LOG_ROTATE_BYTES } = await import('../../../electron/studio-log.js');
const { platformFromLauncher } = await import('../../../electron/launcher-handoff.js');
const { applyAppIdentity } = await import('../../../electron/app-identity.js');
const { spellCheckerLanguages, configureSpellChecker } = await import('../../../electron/spellcheck.js');
const { openConfSettings } = await import('../../../main/settings/conf-store.js');

type FakeWin = InstanceType<FakeElectron['module']['BrowserWindow']>;
type Item = { label?: string; role?: string; enabled?: boolean; type?: string; click?: () => void };

const dir = mkdtempSync(join(tmpdir(), 'studio-desktop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('notification text', () => {
  const hostile = 'Click <a href="https://evil.example">here</a> <img src="https://t.example/p.gif"> & win';

  it('reaches the Linux notification server as text, not markup: &, < and > are escaped in the body', () => {
    const { title, body } = notificationText('linux', 'Tom & <b>Jerry</b>', hostile);
    expect(body).toBe('Click &lt;a href="https://evil.example"&gt;here&lt;/a&gt; &lt;img src="https://t.example/p.gif"&gt; &amp; win');
    // The summary is plain text for the notification server: escaping it would show "&amp;".
    expect(title).toBe('Tom & <b>Jerry</b>');
  });

  it('is left as written on macOS and Windows, which show text only', () => {
    expect(notificationText('darwin', 't', hostile).body).toBe(hostile);
    expect(notificationText('win32', 't', hostile).body).toBe(hostile);
  });

  it('is capped everywhere, without cutting an emoji or an escape in half', () => {
    const long = notificationText('win32', 'n'.repeat(500), '😀'.repeat(500));
    expect([...long.title]).toHaveLength(TITLE_CHARS);
    expect([...long.body]).toHaveLength(BODY_CHARS);
    expect(long.body.endsWith('😀…')).toBe(true);
    const escaped = notificationText('linux', 't', '<'.repeat(500)).body;
    expect(escaped).toBe('&lt;'.repeat(BODY_CHARS - 1) + '…');
  });
});

describe('native notifier on the desktop', () => {
  it('shows the escaped body on Linux and tells that a user is waiting', () => {
    const waiting = vi.fn();
    nativeNotifier({ platform: 'linux', showConversation: vi.fn(), onUserWaiting: waiting }).show({ title: 'Ann', body: '<img src=x>', conversationId: 'c1' });
    expect(fake.e.notifications.at(-1)!.options.body).toBe('&lt;img src=x&gt;');
    expect(waiting).toHaveBeenCalledTimes(1);
  });

  it('logs a notification the desktop refused (macOS unsigned, Windows without a shortcut) instead of failing', () => {
    const log = { warn: vi.fn() };
    nativeNotifier({ platform: 'darwin', showConversation: vi.fn(), log }).show({ title: 'Ann', body: 'hi', conversationId: 'c1' });
    fake.e.notifications.at(-1)!.emit('failed', {}, 'Notifications are not allowed for this application');
    expect(log.warn).toHaveBeenCalledWith({ error: 'Notifications are not allowed for this application', title: 'Ann' }, 'The desktop refused a notification.');
  });

  it('asks for attention even where notifications are not supported', () => {
    fake.e.module.Notification.isSupported.mockReturnValueOnce(false);
    const waiting = vi.fn();
    nativeNotifier({ platform: 'linux', showConversation: vi.fn(), onUserWaiting: waiting }).show({ title: 't', body: 'b', conversationId: 'c' });
    expect(waiting).toHaveBeenCalled();
  });

  it('re-applies the last badge count once a window exists, and nothing before any count', () => {
    const setBadge = fake.e.module.app.setBadgeCount;
    setBadge.mockClear();
    const n = nativeNotifier({ platform: 'darwin', showConversation: vi.fn() });
    n.reapplyBadge();
    expect(setBadge).not.toHaveBeenCalled();
    n.setBadge(3);
    n.reapplyBadge();
    expect(setBadge.mock.calls).toEqual([[3], [3]]);
  });

  it('leaves the badge alone on Windows, and says once in the log when the desktop refuses it', () => {
    const setBadge = fake.e.module.app.setBadgeCount;
    setBadge.mockClear();
    nativeNotifier({ platform: 'win32', showConversation: vi.fn() }).setBadge(2);
    expect(setBadge).not.toHaveBeenCalled();
    setBadge.mockReturnValue(false);
    const log = { warn: vi.fn() };
    const n = nativeNotifier({ platform: 'darwin', showConversation: vi.fn(), log });
    n.setBadge(1);
    n.setBadge(2);
    setBadge.mockReturnValue(true);
    expect(log.warn).toHaveBeenCalledTimes(1);
  });
});

describe('attention requests for a waiting user', () => {
  const window = () => new fake.e.module.BrowserWindow({}) as FakeWin;

  it('flash the taskbar button of an unfocused window on Windows and Linux, and stop', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const win = window();
      const attention = attentionRequests(platform);
      attention.request(win as never);
      expect(win.flashing).toBe(true);
      attention.stop(win as never);
      expect(win.flashing).toBe(false);
    }
  });

  it('leave a focused window alone', () => {
    const win = window();
    win.focused = true;
    attentionRequests('linux').request(win as never);
    expect(win.flashing).toBe(false);
  });

  it('bounce the dock once on macOS (informational) and cancel that bounce', () => {
    const dock = fake.e.module.app.dock;
    const attention = attentionRequests('darwin');
    attention.request(window() as never);
    attention.request(window() as never);
    expect(dock.bounce.mock.calls).toEqual([['informational']]);
    attention.stop(undefined);
    expect(dock.cancelBounce).toHaveBeenCalledWith(17);
  });
});

describe('right-click menu', () => {
  const flags = { canUndo: false, canRedo: false, canCut: true, canCopy: true, canPaste: true, canSelectAll: true, canDelete: true, canEditRichly: false };
  const actions = () => ({ replaceMisspelling: vi.fn(), addToDictionary: vi.fn(), copyText: vi.fn() });
  const click = (over: Partial<Parameters<typeof contextMenuTemplate>[0]> = {}) => ({ isEditable: false, selectionText: '', misspelledWord: '', dictionarySuggestions: [], linkURL: '', editFlags: flags, ...over });

  it('offers spelling suggestions for a misspelt word and replaces it with the chosen one', () => {
    const a = actions();
    const items = contextMenuTemplate(click({ isEditable: true, misspelledWord: 'helo', dictionarySuggestions: ['hello', 'help', 'halo'] }), a) as Item[];
    expect(items.slice(0, 4).map((i) => i.label)).toEqual(['hello', 'help', 'halo', 'Add to Dictionary']);
    items[1]!.click!();
    expect(a.replaceMisspelling).toHaveBeenCalledWith('help');
    items[3]!.click!();
    expect(a.addToDictionary).toHaveBeenCalledWith('helo');
  });

  it('says so when the dictionary has no suggestion', () => {
    const items = contextMenuTemplate(click({ isEditable: true, misspelledWord: 'xqzt' }), actions()) as Item[];
    expect(items[0]).toEqual({ label: 'No spelling suggestions', enabled: false });
  });

  it('has cut, copy and paste in a text field, enabled as the field allows', () => {
    const items = contextMenuTemplate(click({ isEditable: true, editFlags: { ...flags, canCut: false, canCopy: false } }), actions()) as Item[];
    const byRole = Object.fromEntries(items.filter((i) => i.role).map((i) => [i.role, i.enabled]));
    expect(byRole).toMatchObject({ cut: false, copy: false, paste: true, selectAll: true });
  });

  it('has copy for selected text, a way to copy an https link, and nothing at all elsewhere', () => {
    expect(contextMenuTemplate(click({ selectionText: 'a reply' }), actions())).toEqual([{ role: 'copy' }]);
    const a = actions();
    const link = contextMenuTemplate(click({ linkURL: 'https://docs.pandorabots.com/' }), a) as Item[];
    expect(link.map((i) => i.label)).toEqual(['Copy Link Address']);
    link[0]!.click!();
    expect(a.copyText).toHaveBeenCalledWith('https://docs.pandorabots.com/');
    expect(contextMenuTemplate(click({ linkURL: 'javascript:alert(1)' }), actions())).toEqual([]);
    expect(contextMenuTemplate(click(), actions())).toEqual([]);
  });

  it('pops up on right-click in the window and corrects the word in that page', () => {
    const contents = new fake.e.FakeWebContents();
    installContextMenu(contents as never);
    const { buildFromTemplate } = fake.e.module.Menu;
    buildFromTemplate.mockClear();
    contents.emit('context-menu', {}, click({ isEditable: true, misspelledWord: 'helo', dictionarySuggestions: ['hello'] }));
    const menu = buildFromTemplate.mock.results[0]!.value as { template: Item[]; popup: ReturnType<typeof vi.fn> };
    expect(menu.popup).toHaveBeenCalled();
    menu.template[0]!.click!();
    expect(contents.replaced).toEqual(['hello']);
    menu.template[1]!.click!();
    expect(contents.session.addedWords).toEqual(['helo']);
    buildFromTemplate.mockClear();
    contents.emit('context-menu', {}, click());
    expect(buildFromTemplate).not.toHaveBeenCalled();
  });
});

describe("the window's page, when it fails", () => {
  const open = (failFirstLoad?: Error) => {
    const deps = { log: { warn: vi.fn() }, quit: vi.fn() };
    const { settings } = openConfSettings(join(dir, `w-${Math.random()}`));
    fake.e.module.BrowserWindow.failNextLoad = failFirstLoad;
    const win = createMainWindow({ settings, preloadPath: 'p', onFocusChange: () => undefined, ...deps }) as unknown as FakeWin;
    return { win, deps };
  };
  beforeEach(() => fake.e.module.dialog.showMessageBox.mockClear());

  it('offers "Reload" when the page did not load, and loads it again', async () => {
    const { win, deps } = open(new Error('ERR_FILE_NOT_FOUND (-6) loading app://studio/index.html'));
    await vi.waitFor(() => expect(fake.e.module.dialog.showMessageBox).toHaveBeenCalled());
    const [, options] = fake.e.module.dialog.showMessageBox.mock.calls[0]!;
    expect(options).toMatchObject({ message: "Studio's window could not load its page.", buttons: ['Reload', 'Quit Studio'] });
    await vi.waitFor(() => expect(win.loads).toBe(2));
    expect(deps.log.warn).toHaveBeenCalled();
  });

  it('offers "Reload" after the page crashed, and quits when asked to', async () => {
    const { win, deps } = open();
    fake.e.module.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalled());
    expect(fake.e.module.dialog.showMessageBox.mock.calls[0]![1]).toMatchObject({ message: "Studio's page stopped working.", buttons: ['Reload', 'Quit Studio'] });
    expect(win.loads).toBe(1);
  });

  it('reloads a crashed page with "Reload", and says nothing after a clean exit', async () => {
    const { win } = open();
    win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    await flush();
    expect(fake.e.module.dialog.showMessageBox).not.toHaveBeenCalled();
    win.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    await vi.waitFor(() => expect(win.loads).toBe(2));
  });

  it('installs the right-click menu on the window', () => {
    const { win } = open();
    expect(win.webContents.listenerCount('context-menu')).toBe(1);
  });
});

describe('links to the system browser', () => {
  it('log a failure to open instead of leaving a rejected promise (the "JavaScript error" dialog)', async () => {
    fake.e.module.shell.openExternal.mockRejectedValueOnce(new Error('No application is registered for https'));
    const log = { warn: vi.fn() };
    openInBrowser('https://docs.pandorabots.com/', log);
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ url: 'https://docs.pandorabots.com/' }), 'The link could not be opened in the system browser.'));
  });

  it('from a link in the page, too', async () => {
    fake.e.module.shell.openExternal.mockRejectedValueOnce(new Error('xdg-open not found'));
    const log = { warn: vi.fn() };
    const contents = new fake.e.FakeWebContents();
    hardenWebContents(contents as never, log);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalled());
  });
});

describe('Help menu', () => {
  it("shows the packaged app's log file and reveals it", () => {
    const help = appMenuTemplate('win32', false, { logFile: 'C:\\Users\\ada\\AppData\\Roaming\\Studio\\logs\\studio.log' }).find((m) => m.role === 'help')!;
    const items = help.submenu as Item[];
    expect(items.map((i) => i.label)).toContain('Log file: C:\\Users\\ada\\AppData\\Roaming\\Studio\\logs\\studio.log');
    items.find((i) => i.label === 'Show Log File')!.click!();
    expect(fake.e.module.shell.showItemInFolder).toHaveBeenCalledWith('C:\\Users\\ada\\AppData\\Roaming\\Studio\\logs\\studio.log');
  });

  it('has no log entry in development (the log is in the terminal)', () => {
    const help = appMenuTemplate('linux', true).find((m) => m.role === 'help')!;
    expect(JSON.stringify(help)).not.toContain('Log file');
  });
});

describe('a conversation opened from a notification', () => {
  const opener = (hasWindow: boolean) => {
    const o = { hasWindow: vi.fn(() => hasWindow), bringForward: vi.fn(), navigate: vi.fn() };
    return { o, opener: new ConversationOpener(o) };
  };

  it('opens at once in a window whose page is running', () => {
    const { o, opener: c } = opener(true);
    c.pageCalled();
    c.open('c1');
    expect(o.bringForward).toHaveBeenCalled();
    expect(o.navigate).toHaveBeenCalledWith('c1');
  });

  it('waits for a new or reloading page to call the Studio API, then opens once', () => {
    const { o, opener: c } = opener(false);
    c.open('c1');
    expect(o.navigate).not.toHaveBeenCalled();
    c.pageCalled();
    c.pageCalled();
    expect(o.navigate.mock.calls).toEqual([['c1']]);
    c.pageStarting();
    o.hasWindow.mockReturnValue(true);
    c.open('c2');
    expect(o.navigate.mock.calls).toEqual([['c1']]);
    c.pageCalled();
    expect(o.navigate.mock.calls).toEqual([['c1'], ['c2']]);
  });
});

describe('the packaged log file', () => {
  it('is studio.log in the app log folder, written as the app runs, and starts afresh past its size limit', () => {
    const logs = join(dir, 'logs');
    fake.e.module.app.getPath.mockImplementation(() => logs);
    const first = openStudioLog(true);
    expect(first.file).toBe(join(logs, 'studio.log'));
    first.logger.error('the local Platform did not start');
    expect(readFileSync(first.file!, 'utf8')).toContain('the local Platform did not start');

    writeFileSync(first.file!, 'x'.repeat(LOG_ROTATE_BYTES + 1));
    const second = openStudioLog(true);
    second.logger.info('fresh');
    expect(readFileSync(second.file!, 'utf8')).not.toContain('xxxx');
    expect(existsSync(join(logs, 'studio.old.log'))).toBe(true);
  });

  it('is not used in development', () => {
    expect(openStudioLog(false).file).toBeUndefined();
  });
});

describe('the development hand-off and the app identity', () => {
  const env = { STUDIO_LAUNCHER_PLATFORM_URL: 'http://127.0.0.1:4000', STUDIO_LAUNCHER_PLATFORM_TOKEN: 't' };

  it('the hand-off is taken in development and refused when packaged', async () => {
    await expect(platformFromLauncher(env, false)!.start()).resolves.toEqual({ url: 'http://127.0.0.1:4000', token: 't' });
    expect(platformFromLauncher(env, true)).toBeUndefined();
  });

  it('the AppUserModelID is set on Windows only', () => {
    const set = fake.e.module.app.setAppUserModelId;
    set.mockClear();
    applyAppIdentity('linux');
    applyAppIdentity('darwin');
    expect(set).not.toHaveBeenCalled();
    applyAppIdentity('win32');
    expect(set).toHaveBeenCalledWith('com.livetraining.studio');
  });
});

describe('spell-checker languages', () => {
  const available = ['de-DE', 'en-AU', 'en-GB', 'en-US', 'fr', 'pt-BR'];

  it("follow the user's preferred languages, as the dictionaries are named", () => {
    expect(spellCheckerLanguages(['en-GB', 'de-AT', 'fr-CA'], available)).toEqual(['en-GB', 'de-DE', 'fr']);
    expect(spellCheckerLanguages(['EN-us'], available)).toEqual(['en-US']);
  });

  it('fall back to American English when no preferred language has a dictionary, and stay few', () => {
    expect(spellCheckerLanguages(['ja-JP'], available)).toEqual(['en-US']);
    expect(spellCheckerLanguages(['en-GB', 'en-AU', 'de-DE', 'fr', 'pt-BR'], available)).toHaveLength(3);
  });

  it('are set on Windows and Linux, and left to the system on macOS', () => {
    const s = fake.e.module.session.defaultSession;
    configureSpellChecker(s as never, 'darwin');
    expect(s.setSpellCheckerLanguages).not.toHaveBeenCalled();
    configureSpellChecker(s as never, 'linux');
    expect(s.setSpellCheckerLanguages).toHaveBeenCalledWith(['en-GB', 'de-DE']);
  });
});
