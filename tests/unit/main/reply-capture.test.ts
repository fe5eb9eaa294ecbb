import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileBot } from '../../../aiml/index.js';
import { parseCategories } from '../../../aiml/category-writer.js';
import { createReplyCapture } from '../../../main/workspace/reply-capture.js';
import { botWorkspace } from '../../../main/workspace/workspace-files.js';
import type { Message } from '../../../protocol/conversation.js';
import { message } from './support/fixtures.js';

let ws: string;
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'studio-ws-'));
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const me = { id: 'd1', name: 'Ada' };

/** A conversation as the Platform would store it; `reply` adds a designer reply and captures it. */
function conversation(id: string, capture = createReplyCapture({ now: () => 1_000 })) {
  const messages: Message[] = [];
  const add = (author: Message['author'], text: string, over: Partial<Message> = {}) => {
    const m = message(id, messages.length + 1, author, text, over);
    messages.push(m);
    return m;
  };
  return {
    messages,
    add,
    async reply(text: string, captureThat = false) {
      const m = add('human', text, { designer: me });
      await capture.captureReply({
        bot: 'starter',
        conversationId: id,
        message: m,
        captureThat,
        workspaceDir: ws,
        messagesBefore: async (beforeSeq) => messages.filter((x) => x.seq < beforeSeq),
      });
      return m;
    },
  };
}

const file = () => botWorkspace(ws, 'starter').aimlFile;
const categories = () => parseCategories(readFileSync(file(), 'utf8'), 'pand_livetraining.aiml').categories.map(({ pattern, that, topic, template }) => ({ pattern, that, topic, template }));

describe('capturing designer replies into pand_livetraining.aiml', () => {
  it('writes one category per reply: pattern from the input, template from the reply, escaped', async () => {
    const c = conversation('c1');
    c.add('user', 'Do you ship to Mars?');
    c.add('bot', 'I do not know.');
    await c.reply(`Yes & no: <only> on "Tuesdays", it's true`);
    expect(categories()).toEqual([{ pattern: 'DO YOU SHIP TO MARS', that: '*', topic: '*', template: 'Yes &amp; no: &lt;only&gt; on "Tuesdays", it\'s true' }]);
    const { bot, diagnostics } = compileBot({ 'aiml/pand_livetraining.aiml': readFileSync(file(), 'utf8') });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(bot.respond(bot.createSession('t'), 'do you ship to mars').text).toBe(`Yes & no: <only> on "Tuesdays", it's true`);
  });

  it('joins several replies to the same user message into one template', async () => {
    const c = conversation('c1');
    c.add('user', 'opening hours?');
    await c.reply('We open at nine.');
    c.add('system', 'A human is taking over.', { notice: 'paused' });
    await c.reply('And close at five.');
    expect(categories()).toEqual([{ pattern: 'OPENING HOURS', that: '*', topic: '*', template: 'We open at nine. And close at five.' }]);
  });

  it('replaces the template when the same input is answered again later', async () => {
    const first = conversation('c1');
    first.add('user', 'opening hours?');
    await first.reply('Nine to five.');
    const second = conversation('c2');
    second.add('user', 'Opening hours');
    await second.reply('Eight to six, since May.');
    expect(categories()).toEqual([{ pattern: 'OPENING HOURS', that: '*', topic: '*', template: 'Eight to six, since May.' }]);
  });

  it('keeps categories that differ by <that>', async () => {
    const c = conversation('c1');
    c.add('bot', 'Do you want tea?');
    c.add('user', 'yes');
    await c.reply('Tea it is.', true);
    c.add('bot', 'Do you want coffee?');
    c.add('user', 'yes');
    await c.reply('Coffee it is.', true);
    expect(categories().map((x) => [x.pattern, x.that, x.template])).toEqual([
      ['YES', 'DO YOU WANT COFFEE', 'Coffee it is.'],
      ['YES', 'DO YOU WANT TEA', 'Tea it is.'],
    ]);
  });

  it('captures a retried reply once', async () => {
    const capture = createReplyCapture();
    const c = conversation('c1', capture);
    c.add('user', 'hi');
    const m = await c.reply('Hello!');
    await capture.captureReply({ bot: 'starter', conversationId: 'c1', message: m, captureThat: false, workspaceDir: ws, messagesBefore: async (s) => c.messages.filter((x) => x.seq < s) });
    expect(categories()).toEqual([{ pattern: 'HI', that: '*', topic: '*', template: 'Hello!' }]);
  });

  it('never captures system messages, and nothing when the reply answers no input', async () => {
    const capture = createReplyCapture();
    const notice = message('c1', 1, 'system', 'The bot is back.', { notice: 'reactivated' });
    await capture.captureReply({ bot: 'starter', conversationId: 'c1', message: notice, captureThat: false, workspaceDir: ws, messagesBefore: async () => [] });
    const c = conversation('c2', capture);
    await c.reply('Hello, can I help?');
    expect(readdirSync(ws)).toEqual([]);
  });

  it('keeps replies captured in parallel (writes are queued, not interleaved)', async () => {
    const capture = createReplyCapture();
    const convs = Array.from({ length: 8 }, (_, i) => conversation(`c${i}`, capture));
    convs.forEach((c, i) => c.add('user', `question number ${i}`));
    await Promise.all(convs.map((c, i) => c.reply(`answer ${i}`)));
    expect(categories()).toHaveLength(8);
  });

  it('keeps an edit made outside Studio, and remembers where each category came from', async () => {
    const c = conversation('c1');
    c.add('user', 'first question');
    await c.reply('First answer.');
    const edited = readFileSync(file(), 'utf8').replace('</aiml>', '<category><pattern>HAND WRITTEN</pattern><template>By hand.</template></category>\n</aiml>');
    writeFileSync(file(), edited);
    c.add('user', 'second question');
    await c.reply('Second answer.');
    expect(categories().map((x) => x.pattern)).toEqual(['FIRST QUESTION', 'HAND WRITTEN', 'SECOND QUESTION']);
    const sources = JSON.parse(readFileSync(botWorkspace(ws, 'starter').sourcesFile, 'utf8'));
    // Version 2 of the sources file keeps each category's source and review state (main/workspace/live-training-store.ts).
    expect((Object.values(sources.categories) as { source: unknown }[]).map((m) => m.source)).toEqual([
      { conversationId: 'c1', inputSeq: 1, replySeqs: [2], capturedAt: c.messages[1]!.at, input: 'first question' },
      { conversationId: 'c1', inputSeq: 3, replySeqs: [4], capturedAt: c.messages[3]!.at, input: 'second question' },
    ]);
  });

  it('keeps a copy of a file broken by hand before writing, and keeps what could be read', async () => {
    const dir = botWorkspace(ws, 'starter').dir;
    mkdirSync(dir, { recursive: true });
    const broken = '<?xml version="1.0"?><aiml version="2.0"><category><pattern>KEEP ME</pattern><template>Kept.</template></category><category><pattern>BROKEN</pattern><template>oops</category></aiml>';
    writeFileSync(file(), broken);
    const c = conversation('c1', createReplyCapture({ now: () => 42 }));
    c.add('user', 'new question');
    await c.reply('New answer.');
    expect(readFileSync(join(dir, 'pand_livetraining.aiml.broken-42'), 'utf8')).toBe(broken);
    expect(categories().map((x) => x.pattern)).toContain('NEW QUESTION');
  });

  it('uses the bot files on this machine for normalisation when it has them', async () => {
    const botDir = join(ws, 'bots', 'starter');
    mkdirSync(join(botDir, 'substitutions'), { recursive: true });
    writeFileSync(join(botDir, 'substitutions', 'normal.substitution'), JSON.stringify([[" what's ", ' what is ']]));
    const capture = createReplyCapture({ botDirectory: () => botDir });
    const c = conversation('c1', capture);
    c.add('user', "what's new?");
    await c.reply('Live Training.');
    expect(categories()[0]!.pattern).toBe('WHAT IS NEW');
  });

  it('refuses a bot name that could leave the workspace', () => {
    expect(() => botWorkspace(ws, '../etc')).toThrow();
    expect(() => botWorkspace(ws, 'Starter')).toThrow();
  });
});
