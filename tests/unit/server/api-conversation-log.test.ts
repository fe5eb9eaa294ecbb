import { describe, expect, it } from 'vitest';
import type { ApiLogRow } from '../../../server/pandorabots-api/ports.js';
import { StoredApiConversationLog } from '../../../server/conversations/api-conversation-log.js';
import { answer, serviceHarness } from './service-harness.js';

const all = async (rows: AsyncIterable<ApiLogRow>) => {
  const out: ApiLogRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

describe('the Pandorabots API’s view of the conversation store', () => {
  it('records each talk session as one read-only api conversation, exchanges in order', async () => {
    const h = await serviceHarness();
    const log = new StoredApiConversationLog(h.service, h.storage);
    await log.record({ bot: 'starter', clientName: 'client1', sessionId: 7, input: 'hello', answer: answer('Hi!'), at: 1 });
    await log.record({ bot: 'starter', clientName: 'client1', sessionId: 7, input: 'who are you', answer: answer('A bot.'), at: 2 });
    await log.record({ bot: 'starter', clientName: 'client1', sessionId: 8, input: 'hello', answer: answer('Hi again!'), at: 3 });
    const api = (await h.history.list({ filter: 'all', limit: 10 })).conversations;
    expect(api.map((c) => [c.channel, c.readOnly, c.clientName, c.lastSeq])).toEqual([
      ['api', true, 'client1', 2],
      ['api', true, 'client1', 4],
    ]);
  });

  it('logs every channel as input/reply rows with the match of the reply; unanswered inputs and human replies included, notices not', async () => {
    const h = await serviceHarness();
    const log = new StoredApiConversationLog(h.service, h.storage);
    const c = await h.start();
    const first = await h.service.acceptUserMessage(c.id, 'hello', 'a');
    await h.service.commitBotReply(first.ticket!, answer('Hi there!'));
    h.clock.advance(1000);
    await h.service.acceptUserMessage(c.id, 'xyzzy', 'b');
    await h.service.reply(h.ada, c.id, 'A person here.');
    await h.service.acceptUserMessage(c.id, 'still there?', 'c');
    await h.service.acceptUserMessage(c.id, 'hello?', 'd');
    const rows = await all(log.logRows('starter'));
    expect(rows.map((r) => [r.input, r.reply, r.pattern, r.defaultCategory])).toEqual([
      ['hello', 'Hi there!', 'HI THERE!', false],
      ['xyzzy', 'A person here.', '', false],
      ['still there?', '', '', false],
      ['hello?', '', '', false],
    ]);
    expect(rows[0]).toMatchObject({ channel: 'landing', clientName: c.clientName });
    const start = h.clock.now() - 1000;
    expect((await all(log.logRows('starter', { from: start + 1 }))).map((r) => r.input)).toEqual(['xyzzy', 'still there?', 'hello?']);
    expect((await all(log.logRows('starter', { to: start + 1 }))).map((r) => r.input)).toEqual(['hello']);
  });
});
