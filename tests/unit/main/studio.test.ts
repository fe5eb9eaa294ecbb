import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openConfSettings } from '../../../main/settings/conf-store.js';
import { defaultDesignerName } from '../../../main/settings/designer-name.js';
import { Studio } from '../../../main/studio.js';
import type { StudioEvent } from '../../../protocol/studio-api.js';
import { FakeDesignerServer } from './support/fake-designer-server.js';
import { botInfo, envelope, message, summary } from './support/fixtures.js';

let dir: string;
let server: FakeDesignerServer | undefined;
let studio: Studio | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-compose-'));
});
afterEach(async () => {
  await studio?.close();
  await server?.stop();
  studio = server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function makeStudio() {
  const { settings } = openConfSettings(join(dir, 'settings'));
  const events: StudioEvent[] = [];
  studio = new Studio({ host: 'browser', settings, defaultWorkspaceDir: join(dir, 'ws') });
  studio.events.subscribe((e) => events.push(e));
  return { studio, settings, events };
}

const ok = (r: { ok: boolean }) => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return (r as unknown as { result: unknown }).result;
};

describe('Studio services composed', () => {
  it('starts unconfigured on first run and refuses Platform calls with a plain reason', async () => {
    const { studio } = makeStudio();
    await studio.start();
    expect(ok(await studio.dispatcher.invoke('app.state', {}))).toMatchObject({ link: { status: 'unconfigured', embedded: false }, host: 'browser', workspaceDir: join(dir, 'ws') });
    expect(await studio.dispatcher.invoke('conversation.reply', { conversationId: 'c1', text: 'hi' })).toMatchObject({ ok: false, error: { code: 'unconfigured' } });
  });

  it('creates the local designer with the chosen name, and never with a nameless account such as root', async () => {
    const { settings } = openConfSettings(join(dir, 'settings'));
    settings.update({ embedded: true });
    const named: string[] = [];
    const embedded = {
      start: async () => {
        // What the launcher's designerName() hands the embedded Platform: the setting.
        named.push(settings.get().designerName ?? '(unset)');
        throw new Error('no Platform in this test');
      },
      renewToken: async () => ({ url: '', token: '' }),
      close: async () => undefined,
    };
    studio = new Studio({ host: 'browser', settings, defaultWorkspaceDir: join(dir, 'ws'), embedded });
    await studio.start();
    expect(named).toEqual([defaultDesignerName()]);
    expect(named[0]).not.toBe('root');
    settings.update({ designerName: 'Mia' });
    await studio.dispatcher.invoke('platform.configure', { embedded: true });
    expect(named).toEqual([defaultDesignerName(), 'Mia']);
  });

  it('connects to a remote Platform with the token once configured, and never shows the token', async () => {
    server = await FakeDesignerServer.start();
    const { studio, events } = makeStudio();
    await studio.start();
    const state = ok(await studio.dispatcher.invoke('platform.configure', { embedded: false, url: server.url, token: 'good-token' }));
    expect(state).toMatchObject({ link: { status: 'connecting', platformUrl: server.url } });
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    expect(server.last.authorization).toBe('Bearer good-token');
    server.welcome(server.last, [botInfo('starter', 0, { inactivityTimeoutMs: 60_000 })]);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'app.state' && e.state.link.status === 'online')).toBe(true));
    const view = ok(await studio.dispatcher.invoke('settings.get', {}));
    expect(view).toMatchObject({ platformUrl: server.url, hasToken: true });
    expect(JSON.stringify(view) + JSON.stringify(events)).not.toContain('good-token');
  });

  it('refuses a Platform URL that is not http(s)', async () => {
    const { studio, settings } = makeStudio();
    expect(await studio.dispatcher.invoke('platform.configure', { embedded: false, url: 'ftp://example.com', token: 't' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params', message: expect.stringContaining('http') },
    });
    expect(settings.get().platformUrl).toBeUndefined();
  });

  it('says so when the embedded Platform is chosen where none can run', async () => {
    const { studio } = makeStudio();
    const state = ok(await studio.dispatcher.invoke('platform.configure', { embedded: true }));
    expect(state).toMatchObject({ link: { status: 'unconfigured', lastError: expect.stringContaining('local Platform') } });
  });

  it('updates notification choices one at a time and keeps the rest', async () => {
    const { studio } = makeStudio();
    const view = ok(await studio.dispatcher.invoke('settings.update', { notifications: { newConversation: false }, designerName: '  Ada  ' }));
    expect(view).toMatchObject({ notifications: { newConversation: false, heldConversationMessage: true, badge: true }, designerName: 'Ada' });
  });

  it('in browser mode, turns a new conversation into a notify event and unread user messages into the badge', async () => {
    server = await FakeDesignerServer.start();
    const { studio, events } = makeStudio();
    await studio.dispatcher.invoke('platform.configure', { embedded: false, url: server.url, token: 'good-token' });
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    server.send({ type: 'snapshot', bot: 'starter', lastEventId: 0, conversations: [] });
    server.send({ type: 'event', ...envelope(1, { type: 'conversation.started', conversation: summary('c1', { clientName: 'Rusty Sprocket' }) }) });
    server.send({ type: 'event', ...envelope(2, { type: 'message.created', message: message('c1', 1, 'user', 'hello') }) });
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'badge', count: 1 }));
    expect(events).toContainEqual({ type: 'notify', title: 'New conversation', body: 'Rusty Sprocket started talking to starter.', conversationId: 'c1' });
    expect(events).toContainEqual({ type: 'messages.appended', conversationId: 'c1', messages: [message('c1', 1, 'user', 'hello')] });
    await studio.dispatcher.invoke('conversation.markRead', { conversationId: 'c1', seq: 1 });
    expect(events.at(-1)).toEqual({ type: 'badge', count: 0 });
  });

  it('notifies for a user message in a held conversation only while Studio is not focused', async () => {
    server = await FakeDesignerServer.start();
    const { studio, events } = makeStudio();
    await studio.dispatcher.invoke('platform.configure', { embedded: false, url: server.url, token: 'good-token' });
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    server.send({ type: 'snapshot', bot: 'starter', lastEventId: 0, conversations: [summary('c1', { state: 'paused', heldBy: { id: 'd1', name: 'Ada' }, clientName: 'Rusty Sprocket' })] });
    server.send({ type: 'event', ...envelope(1, { type: 'message.created', message: message('c1', 1, 'user', 'focused, no notification') }) });
    await vi.waitFor(() => expect(studio.cache.get('c1')?.lastSeq).toBe(1));
    await studio.dispatcher.invoke('app.focus', { focused: false });
    server.send({ type: 'event', ...envelope(2, { type: 'message.created', message: message('c1', 2, 'user', 'are you there?') }) });
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'notify')).toEqual([{ type: 'notify', title: 'Rusty Sprocket', body: 'are you there?', conversationId: 'c1' }]));
  });
});
