import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppState } from '../../../protocol/studio-api.js';
import { startStack, type Stack } from '../../e2e/support/stack.js';
import { aimlFile, botOwnerApi } from './support/bot-owner-api.js';
import { DesignerClient } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

const GREETER = { 'greeter.aiml': aimlFile({ HELLO: 'Hi from the greeter.' }) };

let platform: TestPlatform | undefined;
let stack: Stack | undefined;
afterEach(async () => {
  await platform?.close();
  await stack?.close();
  platform = stack = undefined;
});

describe('designers follow the bot list live', () => {
  it('a connected designer hears of a bot created and then deleted, and a reconnect resumes it like any bot', async () => {
    platform = await startTestPlatform();
    const designer = await DesignerClient.connect(platform.url, platform.ada.token);
    const owner = botOwnerApi(platform.url, platform.platform.apiCredentials);

    await owner.createBot('greeter', GREETER);
    const created = await designer.waitForEvent((e) => e.event.type === 'bot.created', 'bot.created');
    expect(created.bot).toBe('greeter');
    expect(created.event).toMatchObject({ type: 'bot.created', bot: 'greeter', settings: { appearance: { title: 'greeter' } } });
    // Its conversations stream to the designer at once, with no reconnect.
    const settings = await designer.request('bot.settings', { bot: 'greeter' });
    expect(settings.settings.pausedMessage).toBeTruthy();

    // A designer who reconnects with the new bot's last event id resumes it (no snapshot).
    const resumed = await DesignerClient.connect(platform.url, platform.bob.token, { starter: 0, greeter: created.id });
    expect(resumed.log.frames.some((f) => f.type === 'snapshot' && f.bot === 'greeter')).toBe(false);

    await owner.deleteBot('greeter');
    const deleted = await designer.waitForEvent((e) => e.event.type === 'bot.deleted', 'bot.deleted');
    expect(deleted).toMatchObject({ bot: 'greeter', id: created.id + 1 });
    await resumed.waitForEvent((e) => e.event.type === 'bot.deleted', 'bot.deleted on the second designer');
    expect((await designer.request('bot.list', {})).bots.map((b) => b.name)).toEqual(['starter']);
    await designer.close();
    await resumed.close();
  });

  it("Studio's main process adds a bot created while it is connected and drops one deleted", async () => {
    stack = await startStack({ designers: ['Ada'] });
    const studio = stack.designer('Ada').studio;
    const botNames = async () => {
      const reply = await studio.dispatcher.invoke('app.state', {});
      if (!reply.ok) throw new Error(reply.error.message);
      return (reply.result as AppState).bots.map((b) => b.name).sort();
    };
    await vi.waitFor(async () => expect(await botNames()).toEqual(['starter']), { timeout: 10_000 });
    const owner = botOwnerApi(stack.platformUrl, stack.apiCredentials);
    await owner.createBot('greeter', GREETER);
    await vi.waitFor(async () => expect(await botNames()).toEqual(['greeter', 'starter']), { timeout: 10_000 });
    await owner.deleteBot('greeter');
    await vi.waitFor(async () => expect(await botNames()).toEqual(['starter']), { timeout: 10_000 });
  });
});
