/**
 * A bot's engine limits are Live Training settings: a designer changes them through the designer gateway, they are
 * validated, stored, and the running bot answers with them from the next reply on, without a restart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../aiml/index.js';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { startTestPlatform, tempDataDir } from '../server/support/test-platform.js';

const cat = (pattern: string, template: string) => `<category><pattern>${pattern}</pattern><template>${template}</template></category>`;

/** A bot whose answer to "go" needs srai four levels deep, and that teaches one category per "teach X". */
function writeDeepBot(dataDir: string): void {
  const dir = join(dataDir, 'bots', 'deep');
  mkdirSync(join(dir, 'aiml'), { recursive: true });
  mkdirSync(join(dir, 'system'), { recursive: true });
  const categories =
    cat('GO', '[<srai>S1</srai>]') +
    cat('S1', '<srai>S2</srai>') +
    cat('S2', '<srai>S3</srai>') +
    cat('S3', '<srai>S4</srai>') +
    cat('S4', 'bottom') +
    cat('TEACH *', '<learn><category><pattern><eval><star/></eval></pattern><template>learned</template></category></learn>ok');
  writeFileSync(join(dir, 'aiml', 'deep.aiml'), `<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">${categories}</aiml>\n`);
  writeFileSync(join(dir, 'system', 'deep.properties'), JSON.stringify([['limit-response', 'too deep']]));
}

async function ask(user: ChatClient, text: string): Promise<string> {
  const sent = await user.say(text);
  return (await user.waitForMessage((m) => m.seq === sent.seq + 1, `reply to ${text}`)).text;
}

describe('per-bot engine limits through the designer gateway', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('shows the defaults, applies a change to the running bot at once, refuses insane values and keeps the change', async () => {
    const data = tempDataDir('engine-limits');
    cleanups.push(data.remove);
    writeDeepBot(data.dir);
    let t = await startTestPlatform({ dataDir: data.dir });
    let closed = false;
    cleanups.push(() => (closed ? undefined : t.close()));

    const designer = await DesignerClient.connect(t.url, t.ada.token, null);
    const welcome = await designer.hello({});
    const defaults = { maxSraiDepth: DEFAULT_LIMITS.maxSraiDepth, maxStepsPerReply: DEFAULT_LIMITS.maxStepsPerReply, maxMillisPerReply: DEFAULT_LIMITS.maxMillisPerReply, maxLearnedPerClient: DEFAULT_LIMITS.maxLearnedPerClient };
    expect(welcome.bots.find((b) => b.name === 'deep')!.settings.engineLimits).toEqual(defaults);

    const user = await ChatClient.connect(t.url, 'deep');
    expect(await ask(user, 'go')).toBe('[bottom]');
    expect(await ask(user, 'teach apples')).toBe('ok');
    expect(await ask(user, 'apples')).toBe('learned');

    const updated = await designer.request('bot.updateSettings', { bot: 'deep', patch: { engineLimits: { ...defaults, maxSraiDepth: 3, maxLearnedPerClient: 1 } } });
    expect(updated.settings.engineLimits).toEqual({ ...defaults, maxSraiDepth: 3, maxLearnedPerClient: 1 });
    // The same conversation, the same compiled bot: the next reply already runs with the new limits.
    expect(await ask(user, 'go')).toBe('[too deep]');
    expect(await ask(user, 'teach pears')).toBe('ok');
    expect(await ask(user, 'pears')).not.toBe('learned');

    for (const bad of [{ maxSraiDepth: 0 }, { maxStepsPerReply: 10 }, { maxMillisPerReply: 1_000_000 }, { maxLearnedPerClient: -1 }, { maxSraiDepth: 2.5 }]) {
      await expect(designer.request('bot.updateSettings', { bot: 'deep', patch: { engineLimits: { ...defaults, ...bad } } })).rejects.toThrow();
    }
    expect((await designer.request('bot.settings', { bot: 'deep' })).settings.engineLimits).toEqual({ ...defaults, maxSraiDepth: 3, maxLearnedPerClient: 1 });
    expect(await ask(user, 'go')).toBe('[too deep]');

    // Stored with the bot's other settings: a restarted Platform answers with them.
    closed = true;
    await t.close();
    t = await startTestPlatform({ dataDir: data.dir });
    closed = false;
    const again = await ChatClient.connect(t.url, 'deep');
    expect(await ask(again, 'go')).toBe('[too deep]');
  });
});
