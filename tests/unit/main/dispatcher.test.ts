import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type StudioHandlers } from '../../../main/studio-api/dispatcher.js';
import { AppError, type ErrorCode } from '../../../protocol/errors.js';
import { studioMethods } from '../../../protocol/studio-api.js';
import { memoryLog } from '../../support/memory-log.js';

function handlers(over: Partial<StudioHandlers> = {}): StudioHandlers {
  const none = () => {
    throw new Error('not expected in this test');
  };
  const all = Object.fromEntries(Object.keys(studioMethods).map((m) => [m, none])) as unknown as StudioHandlers;
  return { ...all, ...over };
}

describe('Studio API dispatcher', () => {
  it('calls the handler with validated arguments and returns its result', async () => {
    const markRead = vi.fn(() => ({}));
    const d = createDispatcher(handlers({ 'conversation.markRead': markRead }));
    expect(await d.invoke('conversation.markRead', { conversationId: 'c1', seq: 4 })).toEqual({ ok: true, result: {} });
    expect(markRead).toHaveBeenCalledWith({ conversationId: 'c1', seq: 4 });
  });

  it('refuses methods that are not on the allowlist, including inherited names', async () => {
    const d = createDispatcher(handlers());
    for (const m of ['shell.exec', 'constructor', '__proto__', 'toString', 42, undefined]) {
      const r = await d.invoke(m, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('refuses bad arguments before any handler runs, saying which field', async () => {
    const reply = vi.fn();
    const d = createDispatcher(handlers({ 'conversation.reply': reply }));
    const tooLong = await d.invoke('conversation.reply', { conversationId: 'c1', text: 'x'.repeat(2001) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid_params', message: expect.stringContaining('text') } });
    const blank = await d.invoke('conversation.reply', { conversationId: 'c1', text: '   ' });
    expect(blank).toMatchObject({ ok: false, error: { code: 'invalid_params', message: expect.stringContaining('empty') } });
    const wrongType = await d.invoke('conversation.markRead', { conversationId: 'c1', seq: 'four' });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    const notHttp = await d.invoke('platform.configure', { embedded: false, url: 'not a url', token: 't' });
    expect(notHttp).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(reply).not.toHaveBeenCalled();
  });

  it('passes refusals through with their code and details', async () => {
    const d = createDispatcher(
      handlers({
        'conversation.reply': () => {
          throw new AppError('held_by_other', 'Grace holds this conversation.', { details: { holder: { id: 'd2', name: 'Grace' } } });
        },
        'conversations.search': () => {
          throw new AppError('unconfigured', 'Choose a Platform first.');
        },
      }),
    );
    expect(await d.invoke('conversation.reply', { conversationId: 'c1', text: 'hi' })).toEqual({
      ok: false,
      error: { code: 'held_by_other', message: 'Grace holds this conversation.', details: { holder: { id: 'd2', name: 'Grace' } } },
    });
    expect(await d.invoke('conversations.search', { query: 'x' })).toMatchObject({ ok: false, error: { code: 'unconfigured' } });
  });

  it('refuses a code outside the Studio API set at the boundary: the renderer gets `internal`, never an open string', async () => {
    const d = createDispatcher(
      handlers({
        'app.state': () => {
          // A Platform-side code (the bot store's) is not a Studio API code; a made-up one is not a code at all.
          throw new AppError('bot_exists', 'a bot named "x" already exists');
        },
        'settings.get': () => {
          throw new AppError('made_up' as ErrorCode, 'Something.');
        },
      }),
    );
    expect(await d.invoke('app.state', {})).toEqual({ ok: false, error: { code: 'internal', message: 'Studio could not complete app.state: a bot named "x" already exists' } });
    expect(await d.invoke('settings.get', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('turns a defect into an internal error and logs it with its stack, instead of throwing', async () => {
    const { logger, lines } = memoryLog();
    const d = createDispatcher(
      handlers({
        'app.state': () => {
          throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        },
      }),
      logger,
    );
    expect(await d.invoke('app.state', {})).toEqual({ ok: false, error: { code: 'internal', message: 'Studio could not complete app.state: disk full' } });
    expect(lines).toEqual([expect.objectContaining({ msg: 'Studio API handler failed', method: 'app.state' })]);
    expect(lines[0]!.err).toMatchObject({ message: 'disk full', code: 'ENOSPC' });
    expect(lines[0]!.err!.stack).toMatch(/disk full\n\s+at /);
  });

  it('treats missing arguments as empty for methods without any', async () => {
    const d = createDispatcher(handlers({ 'activity.report': () => ({}) }));
    expect(await d.invoke('activity.report', undefined)).toEqual({ ok: true, result: {} });
  });
});
