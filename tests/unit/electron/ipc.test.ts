import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron.js';

const fake = vi.hoisted(() => ({ e: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { makeFakeElectron } = await import('./fake-electron.js');
  fake.e = makeFakeElectron();
  return { default: fake.e.module, ...fake.e.module };
});

const { registerStudioIpc } = await import('../../../electron/ipc.js');
const { EVENT_CHANNEL, INVOKE_CHANNEL } = await import('../../../electron/ipc-channels.js');

const studioWindow = { id: 'studio' };
const otherWindow = { id: 'other' };
const dispatcher = { invoke: vi.fn(async (method: unknown) => ({ ok: true as const, result: { method } })) };
const isStudioWindow = (contents: unknown) => contents === studioWindow;
const topFrame = (url: string) => ({ url, parent: null });
/** The IPC handler, wired here whichever test runs first (wiring is idempotent: the first test checks that). */
const wiredHandler = () => {
  registerStudioIpc(dispatcher, isStudioWindow as never);
  return fake.e.ipcHandlers.get(INVOKE_CHANNEL)!;
};

describe('Studio API over Electron IPC', () => {
  it('registers the handler once, however often it is wired', () => {
    registerStudioIpc(dispatcher, isStudioWindow as never);
    registerStudioIpc(dispatcher, isStudioWindow as never);
    expect(fake.e.module.ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(fake.e.ipcHandlers.has(INVOKE_CHANNEL)).toBe(true);
  });

  it("answers calls from Studio's own window through the one dispatcher", async () => {
    const handler = wiredHandler();
    const reply = await handler({ sender: studioWindow, senderFrame: topFrame('app://studio/index.html') }, 'app.state', {});
    expect(reply).toEqual({ ok: true, result: { method: 'app.state' } });
    expect(dispatcher.invoke).toHaveBeenCalledWith('app.state', {});
  });

  it('refuses calls from another page, a subframe or another window without reaching any service', async () => {
    dispatcher.invoke.mockClear();
    const handler = wiredHandler();
    const refusals = await Promise.all([
      handler({ sender: studioWindow, senderFrame: topFrame('https://evil.example.com/') }, 'app.state', {}),
      handler({ sender: studioWindow, senderFrame: topFrame('file:///tmp/x.html') }, 'app.state', {}),
      handler({ sender: studioWindow, senderFrame: topFrame('app://elsewhere/index.html') }, 'app.state', {}),
      handler({ sender: studioWindow, senderFrame: { url: 'app://studio/index.html', parent: {} } }, 'app.state', {}),
      handler({ sender: otherWindow, senderFrame: topFrame('app://studio/index.html') }, 'app.state', {}),
      handler({ sender: studioWindow, senderFrame: null }, 'app.state', {}),
    ]);
    for (const r of refusals) expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatcher.invoke).not.toHaveBeenCalled();
  });

  it('uses the same channel names as the preload', () => {
    const preload = readFileSync(join(import.meta.dirname, '../../../preload/index.cts'), 'utf8');
    expect(preload).toContain(`const INVOKE_CHANNEL = '${INVOKE_CHANNEL}'`);
    expect(preload).toContain(`const EVENT_CHANNEL = '${EVENT_CHANNEL}'`);
  });
});
