import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron.js';

const fake = vi.hoisted(() => ({ e: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { makeFakeElectron } = await import('./fake-electron.js');
  fake.e = makeFakeElectron();
  return { default: fake.e.module, ...fake.e.module };
});

const { hardenSession, hardenWebContents, isSafeExternalUrl, isStudioUrl } = await import('../../../electron/security.js');

beforeEach(() => fake.e.module.shell.openExternal.mockClear());

describe('Electron security baseline', () => {
  it('lets only https links leave Studio', () => {
    expect(isSafeExternalUrl('https://docs.pandorabots.com/')).toBe(true);
    for (const url of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'app://studio/x', 'smb://host/share', 'not a url']) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it("recognises Studio's own pages by scheme and host, not by origin", () => {
    expect(isStudioUrl('app://studio/index.html')).toBe(true);
    expect(isStudioUrl('app://evil/index.html')).toBe(false);
    expect(isStudioUrl('file:///out/renderer/index.html')).toBe(false);
    expect(isStudioUrl('https://studio/index.html')).toBe(false);
    expect(isStudioUrl(undefined)).toBe(false);
  });

  it('grants notifications and refuses every other permission', () => {
    const s = fake.e.module.session.defaultSession;
    hardenSession(s as never);
    const answers: Record<string, boolean> = {};
    for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal', 'hid']) s.permissionRequestHandler!({}, p, (ok) => (answers[p] = ok));
    expect(answers).toEqual({ notifications: true, media: false, geolocation: false, 'clipboard-read': false, openExternal: false, hid: false });
    expect(s.permissionCheckHandler!({}, 'notifications')).toBe(true);
    expect(s.permissionCheckHandler!({}, 'media')).toBe(false);
  });

  it('refuses navigation and new windows, sending https links to the system browser', () => {
    const contents = new fake.e.FakeWebContents();
    hardenWebContents(contents as never);
    const nav = { preventDefault: vi.fn() };
    contents.emit('will-navigate', nav, 'https://example.com/page');
    expect(nav.preventDefault).toHaveBeenCalled();
    expect(fake.e.module.shell.openExternal).toHaveBeenCalledWith('https://example.com/page');

    const navFile = { preventDefault: vi.fn() };
    contents.emit('will-navigate', navFile, 'file:///etc/passwd');
    expect(navFile.preventDefault).toHaveBeenCalled();
    expect(fake.e.module.shell.openExternal).toHaveBeenCalledTimes(1);

    expect(contents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://example.com' })).toEqual({ action: 'deny' });
    expect(fake.e.module.shell.openExternal).toHaveBeenCalledTimes(2);

    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});
