import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../../e2e/support/stack.js';
import type { CaptureFailure } from '../../../protocol/capture-failures.js';
import type { ConversationView, StudioEvent } from '../../../protocol/studio-api.js';
import { ChatUser } from './support/chat-user.js';

let stack: Stack | undefined;
const users: ChatUser[] = [];
afterEach(async () => {
  for (const u of users.splice(0)) u.close();
  await stack?.close();
  stack = undefined;
});

async function call<T = unknown>(s: Stack, method: string, args: unknown = {}): Promise<T> {
  const reply = await s.designer('Ada').studio.dispatcher.invoke(method, args);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.result as T;
}

describe('a reply that could not be captured into the workspace', () => {
  it('is delivered, told to the designer with the reason, kept for a retry, and saved by the retry once fixed', async () => {
    stack = await startStack({ designers: ['Ada'] });
    const s = stack;
    const events: StudioEvent[] = [];
    s.designer('Ada').studio.events.subscribe((e) => void events.push(e));
    const u = await ChatUser.open(s.platformUrl);
    users.push(u);
    u.say('Do you sell umbrellas?');
    await vi.waitFor(() => expect(u.messages.filter((m) => m.from === 'bot')).toHaveLength(1), { timeout: 10_000 });
    const [conv] = await vi.waitFor(async () => {
      const list = (await call<{ conversations: ConversationView[] }>(s, 'conversations.list')).conversations;
      expect(list[0]?.lastSeq).toBe(2);
      return list;
    });

    // A folder where the file should be: no write can replace it (also when the tests run as root).
    const file = s.workspaceFile('Ada');
    mkdirSync(file, { recursive: true });
    await call(s, 'conversation.reply', { conversationId: conv!.id, text: 'Yes, in three colours.' });
    await vi.waitFor(() => expect(u.messages.at(-1)?.text).toBe('Yes, in three colours.'));

    const failed = await vi.waitFor(() => {
      const e = events.find((x) => x.type === 'capture.failed');
      expect(e).toBeDefined();
      return (e as Extract<StudioEvent, { type: 'capture.failed' }>).failure;
    });
    expect(failed).toMatchObject({ conversationId: conv!.id, bot: 'starter', file });
    expect(failed.reason).toBe(`${file} is a folder, not a file. Move it out of the way, then try again.`);
    expect((await call<{ failures: CaptureFailure[] }>(s, 'capture.failures')).failures).toEqual([failed]);

    // Still broken: the retry says so and the failure stays.
    expect(await call(s, 'capture.retry', { conversationId: conv!.id, seq: failed.seq })).toMatchObject({ saved: false, failure: { reason: failed.reason } });
    expect((await call<{ failures: CaptureFailure[] }>(s, 'capture.failures')).failures).toHaveLength(1);

    rmSync(file, { recursive: true });
    expect(await call(s, 'capture.retry', { conversationId: conv!.id, seq: failed.seq })).toEqual({ saved: true });
    expect(readFileSync(file, 'utf8')).toContain('<pattern>DO YOU SELL UMBRELLAS</pattern>');
    expect(events).toContainEqual({ type: 'capture.saved', conversationId: conv!.id, seq: failed.seq });
    expect((await call<{ failures: CaptureFailure[] }>(s, 'capture.failures')).failures).toEqual([]);
    await expect(call(s, 'capture.retry', { conversationId: conv!.id, seq: failed.seq })).rejects.toMatchObject({ code: 'not_found' });
  });
});
