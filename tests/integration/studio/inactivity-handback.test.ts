import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openConfSettings } from '../../../main/settings/conf-store.js';
import { Studio } from '../../../main/studio.js';
import { startPlatform, type RunningPlatform } from '../../../server/platform.js';
import type { ConversationView, StudioEvent } from '../../../protocol/studio-api.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ChatUser } from './support/chat-user.js';

let platform: RunningPlatform | undefined;
let studio: Studio | undefined;
let user: ChatUser | undefined;
let dir: string | undefined;
afterEach(async () => {
  user?.close();
  await studio?.close();
  await platform?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  platform = studio = user = dir = undefined;
});

describe('inactivity hand-back from Studio', () => {
  it("hands a held conversation back when Studio's designer is inactive for the bot's timeout", async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-idle-'));
    // The Platform's own lease runs on real time with a long timeout: only Studio's (fake) clock can end it here.
    platform = await startPlatform({ dataDir: join(dir, 'platform'), logger: false, defaultInactivityTimeoutMs: 10 * 60_000 });
    const { token } = await platform.createDesigner('Ada');
    const { settings } = openConfSettings(join(dir, 'settings'));
    settings.update({ platformUrl: platform.url, token });
    const clock = new ManualClock(Date.now());
    const s = new Studio({ host: 'browser', settings, defaultWorkspaceDir: join(dir, 'ws'), clock, link: { heartbeatMs: 3600_000 } });
    studio = s;
    const deadlines: (number | null)[] = [];
    s.events.subscribe((e: StudioEvent) => {
      if (e.type === 'activity.deadline') deadlines.push(e.deadline);
    });
    await s.start();
    await s.whenOnline(10_000);

    user = await ChatUser.open(platform.url);
    user.say('Hello');
    const list = async () => ((await s.dispatcher.invoke('conversations.list', {})) as { result: { conversations: ConversationView[] } }).result.conversations;
    const id = await vi.waitFor(async () => (await list())[0]!.id);
    await s.dispatcher.invoke('conversation.reply', { conversationId: id, text: 'A human is here.' });
    await vi.waitFor(async () => expect((await list())[0]!.heldByMe).toBe(true));
    expect(deadlines.at(-1)).toBe(clock.now() + 10 * 60_000);
    // A renderer that loads now finds the deadline in the app state.
    expect(s.state().activityDeadline).toBe(clock.now() + 10 * 60_000);

    clock.advance(9 * 60_000);
    await s.dispatcher.invoke('activity.report', {});
    expect(deadlines.at(-1)).toBe(clock.now() + 10 * 60_000);

    clock.advance(10 * 60_000);
    await vi.waitFor(async () => expect((await list())[0]).toMatchObject({ state: 'active', heldByMe: false }));
    await vi.waitFor(() => expect(user!.messages.at(-1)?.from).toBe('notice'));
    expect(deadlines.at(-1)).toBeNull();
  });
});
