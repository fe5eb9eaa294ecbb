import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aiml, category, message, pretendPulled, T0, workspaceFixture, writeBot, type Fixture } from './support/workspace-fixture.js';
import { join } from 'node:path';

let f: Fixture;
beforeEach(() => {
  f = workspaceFixture();
});
afterEach(() => f.close());

const SUBSTITUTIONS = JSON.stringify([
  [" what's ", ' what is '],
  [" don't ", ' do not '],
]);
const learned = async () => (await f.ws.workspace('starter')).categories.map((c) => [c.pattern, c.that, c.template]);

describe('capture: what a designer reply teaches', () => {
  it("uses the bot's own substitutions once its files were pulled from the Platform", async () => {
    pretendPulled(f, { 'substitutions/normal.substitution': SUBSTITUTIONS, 'aiml/starter.aiml': aiml(category('*', 'I do not know.')) });
    const c = f.conversation('c1');
    c.add('user', "What's a flux capacitor?");
    await c.reply('It makes time travel possible.');
    expect(await learned()).toEqual([['WHAT IS A FLUX CAPACITOR', '*', 'It makes time travel possible.']]);
  });

  it("uses the substitutions of the bot's folder on this machine (the embedded Platform) before any pull", async () => {
    let botDir = '';
    f.close();
    f = workspaceFixture({ botDirectory: () => botDir });
    botDir = writeBot(join(f.root, 'bots', 'starter'), { 'substitutions/normal.substitution': SUBSTITUTIONS });
    const c = f.conversation('c1');
    c.add('user', "I don't know. What's new?");
    await c.reply('Live Training is new.');
    expect((await learned())[0]![0]).toBe('WHAT IS NEW');
  });

  it("takes <that> from the last sentence of the bot's previous reply, normalised, when the setting is on", async () => {
    const c = f.conversation('c1');
    c.add('bot', 'Welcome! Would you like tea?');
    c.add('user', 'Yes, please.');
    await c.reply('Tea is on its way.', true);
    const d = f.conversation('c2');
    d.add('bot', 'Would you like tea?');
    d.add('user', 'yes please');
    await d.reply('Coming right up.', false);
    expect(await learned()).toEqual(
      expect.arrayContaining([
        ['YES PLEASE', 'WOULD YOU LIKE TEA', 'Tea is on its way.'],
        ['YES PLEASE', '*', 'Coming right up.'],
      ]),
    );
  });

  it('merges several replies to one user message into one template, and answers the last of several messages', async () => {
    const c = f.conversation('c1');
    c.add('user', 'hello');
    c.add('user', 'are you open on Sunday?');
    await c.reply('We are.');
    c.add('system', 'A human is taking over.', { notice: 'paused' });
    await c.reply('From ten to four.');
    expect(await learned()).toEqual([['ARE YOU OPEN ON SUNDAY', '*', 'We are. From ten to four.']]);
  });

  it('replaces the template when the same pattern, that and topic is answered again', async () => {
    const first = f.conversation('c1');
    first.add('user', 'Opening hours?');
    await first.reply('Nine to five.');
    const second = f.conversation('c2');
    second.add('user', 'opening hours');
    await second.reply('Eight to six, since May.');
    const view = await f.ws.workspace('starter');
    expect(view.categories.map((c) => [c.pattern, c.template, c.source?.conversationId])).toEqual([['OPENING HOURS', 'Eight to six, since May.', 'c2']]);
  });

  it('never captures system messages', async () => {
    await f.ws.captureReply({
      bot: 'starter',
      conversationId: 'c1',
      message: message('c1', 2, 'system', 'The bot is back.', { notice: 'reactivated' }),
      captureThat: true,
      workspaceDir: f.workspaceDir,
      messagesBefore: async () => [message('c1', 1, 'user', 'hi')],
    });
    expect(await learned()).toEqual([]);
  });

  it("remembers the source conversation, its robot name, the user's words, the time, and the bot's answer before", async () => {
    f.host.names.set('c9', 'Rusty Sprocket');
    const c = f.conversation('c9');
    c.add('user', 'Do you ship to Mars?');
    c.add('bot', 'I have no answer for that.', { match: [{ pattern: '*', that: '*', topic: '*', file: 'aiml/udc.aiml', defaultCategory: true }] });
    const reply = await c.reply('Yes, every Tuesday!');
    const [learnedCategory] = (await f.ws.workspace('starter')).categories;
    expect(learnedCategory).toMatchObject({
      pattern: 'DO YOU SHIP TO MARS',
      template: 'Yes, every Tuesday!',
      state: 'new',
      source: { conversationId: 'c9', clientName: 'Rusty Sprocket', input: 'Do you ship to Mars?', capturedAt: reply.at },
    });
    expect(reply.at).toBe(T0 + 3000);
  });

  it('escapes the reply: & < > become entities and the bot answers with the exact words', async () => {
    const c = f.conversation('c1');
    c.add('user', 'tags?');
    await c.reply('Use <b> & </b> "carefully"');
    const view = await f.ws.workspace('starter');
    expect(view.categories[0]!.template).toBe('Use &lt;b&gt; &amp; &lt;/b&gt; "carefully"');
    expect((await f.ws.preview('starter', 'tags')).text).toBe('Use <b> & </b> "carefully"');
  });

  it('tells the Studio that the workspace changed after each capture', async () => {
    const c = f.conversation('c1');
    c.add('user', 'one');
    await c.reply('First.');
    c.add('user', 'two');
    await c.reply('Second.');
    expect(f.host.changes()).toBe(2);
  });
});
