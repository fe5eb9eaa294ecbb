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
    // All replies at once; the kill comes as soon as the first is acknowledged, while the others are being stored and
    // captured.
    const acknowledged: string[] = [];
    const replies = conversations.map((c) =>
      designer.request('conversation.reply', { conversationId: c.id, text: c.answer }).then(
        () => acknowledged.push(c.answer),
        () => undefined,
      ),
    );
    await Promise.race(replies);
    first.child.kill('SIGKILL');
    await exited(first.child);
    await Promise.all(replies);
    const capturedBeforeKill = designer.events('starter').filter((e) => e.event.type === 'learned.changed').length;

    const second = await startCliPlatform(data.dir);
    children.push(second.child);
    const after = await DesignerClient.connect(second.url, token);
    // Every reply the Platform kept (each acknowledged one at least) became exactly one category, and no other did.
    const stored: string[] = [];
    for (const c of conversations) {
      const { messages } = await after.request('conversation.transcript', { conversationId: c.id });
      stored.push(...messages.filter((m) => m.author === 'human').map((m) => m.text));
    }
    for (const answer of acknowledged) expect(stored).toContain(answer);
    const { categories } = await after.request('learned.list', { bot: 'starter' });
    expect(categories.map((c) => c.template).sort()).toEqual([...stored].sort());
    for (const c of conversations.filter((x) => stored.includes(x.answer))) {
      expect(categories.find((x) => x.template === c.answer)).toMatchObject({ pattern: c.question.toUpperCase().replace(/[?]/g, ''), version: 1, source: { conversationId: c.id, input: c.question } });
    }
    // And a new user gets the trained answer from the restarted Platform.
    const user = await ChatClient.connect(second.url);
    const last = conversations.find((c) => c.answer === acknowledged[0])!;
    const sent = await user.say(last.question);
    expect((await user.waitForMessage((m) => m.seq === sent.seq + 1, 'trained answer')).text).toBe(last.answer);
    // How many captures the kill interrupted (for the report; the test holds whatever the timing was).
    console.info(`acknowledged before the kill: ${acknowledged.length}, stored: ${stored.length}, captured before the kill: ${capturedBeforeKill}, of ${REPLIES}`);
    await user.close();
    await after.close();
  }, 90_000);
});
