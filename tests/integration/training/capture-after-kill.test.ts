import { execFileSync, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { cliArgs, exited, projectRoot, startCliPlatform } from '../server/support/cli-platform.js';
import { tempDataDir } from '../server/support/test-platform.js';

const REPLIES = 8;

describe('a Platform killed with SIGKILL right after acknowledging designer replies', () => {
  const children: ChildProcess[] = [];
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    for (const c of cleanups) c();
  });

  it('loses neither the replies nor their categories, and captures none twice', async () => {
    const data = tempDataDir('learned-kill');
    cleanups.push(data.remove);
    const token = execFileSync(process.execPath, [...cliArgs, 'designer', 'add', 'Ada', '--data', data.dir], { cwd: projectRoot, encoding: 'utf8' }).trim().split('\n').pop()!;

    const first = await startCliPlatform(data.dir);
    children.push(first.child);
    const designer = await DesignerClient.connect(first.url, token);
    designer.ws.on('error', () => {});
    const conversations: Array<{ id: string; question: string; answer: string }> = [];
    for (let i = 0; i < REPLIES; i++) {
      const user = await ChatClient.connect(first.url);
      const question = `Do you repair zorblax model ${i}?`;
      const sent = await user.say(question);
      await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot fallback');
      const { conversations: list } = await designer.request('conversation.list', { filter: 'all' });
      conversations.push({ id: list.find((c) => c.lastSeq === sent.seq + 1 && c.state === 'active')!.id, question, answer: `Yes, model ${i} too.` });
      await user.close();
    }
    // Every reply is acknowledged (stored durably); the kill comes at once, while captures are still under way.
    await Promise.all(conversations.map((c) => designer.request('conversation.reply', { conversationId: c.id, text: c.answer })));
    first.child.kill('SIGKILL');
    await exited(first.child);
    const capturedBeforeKill = designer.events('starter').filter((e) => e.event.type === 'learned.changed').length;

    const second = await startCliPlatform(data.dir);
    children.push(second.child);
    const after = await DesignerClient.connect(second.url, token);
    const { categories } = await after.request('learned.list', { bot: 'starter' });
    expect(categories.map((c) => c.template).sort()).toEqual(conversations.map((c) => c.answer).sort());
    for (const c of conversations) {
      expect(categories.find((x) => x.template === c.answer)).toMatchObject({ pattern: c.question.toUpperCase().replace(/[?]/g, ''), version: 1, source: { conversationId: c.id, input: c.question } });
    }
    // The replies are there too.
    for (const c of conversations) {
      const { messages } = await after.request('conversation.transcript', { conversationId: c.id });
      expect(messages.filter((m) => m.author === 'human').map((m) => m.text)).toEqual([c.answer]);
    }
    // And a new user gets the trained answer from the restarted Platform.
    const user = await ChatClient.connect(second.url);
    const last = conversations[REPLIES - 1]!;
    const sent = await user.say(last.question);
    expect((await user.waitForMessage((m) => m.seq === sent.seq + 1, 'trained answer')).text).toBe(last.answer);
    // How many captures the kill interrupted (for the report; the test holds whatever the timing was).
    console.info(`captured before the kill: ${capturedBeforeKill} of ${REPLIES}`);
    await user.close();
    await after.close();
  }, 90_000);
});
