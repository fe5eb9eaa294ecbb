import { execFileSync, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/chat-wire.js';
import { ChatClient, DesignerClient } from './support/clients.js';
import { cliArgs, exited, projectRoot, startCliPlatform } from './support/cli-platform.js';
import { tempDataDir } from './support/test-platform.js';

/** A message of many sentences: each is matched on its own, so the bot takes a while to answer it. */
const longMessage = (n: number) => Array.from({ length: 120 }, (_, i) => (i % 2 ? 'Who are you' : `Hello number ${n}`)).join('. ').slice(0, 1900);

/** How many user messages and bot replies a transcript holds. */
const counts = (messages: ChatMessage[]) => ({ user: messages.filter((m) => m.from === 'user').length, bot: messages.filter((m) => m.from === 'bot').length });

describe('kill -9 between a user message’s acknowledgement and its bot reply', () => {
  const children: ChildProcess[] = [];
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    for (const c of cleanups) c();
  });

  it('after the restart every acknowledged message in an active conversation has exactly one reply, delivered to the user and to designers; a paused conversation gets none', async () => {
    const data = tempDataDir('owed');
    cleanups.push(data.remove);
    const token = execFileSync(process.execPath, [...cliArgs, 'designer', 'add', 'Ada', '--data', data.dir], { cwd: projectRoot, encoding: 'utf8' }).trim().split('\n').pop()!;

    const first = await startCliPlatform(data.dir);
    children.push(first.child);
    const designer = await DesignerClient.connect(first.url, token);
    designer.ws.on('error', () => {});

    // One conversation Ada has taken over: its user's messages are for her, never for the bot.
    const heldUser = await ChatClient.connect(first.url);
    heldUser.ws.on('error', () => {});
    await heldUser.say('I need a person');
    await heldUser.waitForMessage((m) => m.from === 'bot', 'first reply');
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    const heldId = conversations[0]!.id;
    await designer.request('conversation.reply', { conversationId: heldId, text: 'Ada here.' });

    // Six users each send a burst of long messages without waiting; the first echo is the cue to kill.
    const users = await Promise.all(Array.from({ length: 6 }, () => ChatClient.connect(first.url)));
    for (const u of users) u.ws.on('error', () => {});
    const acked = new Map<ChatClient, number[]>(users.map((u) => [u, []]));
    const firstAck = new Promise<void>((resolveAck) => {
      for (const u of users) {
        u.ws.on('message', (raw) => {
          const frame = JSON.parse(raw.toString());
          if (frame.type === 'message' && frame.message.from === 'user') {
            acked.get(u)!.push(frame.message.seq);
            resolveAck();
          }
        });
      }
    });
    heldUser.ws.send(JSON.stringify({ type: 'send', clientId: 'held-1', text: 'Are you still there?' }));
    await heldUser.waitForMessage((m) => m.clientId === 'held-1', 'held message stored');
    for (const [i, u] of users.entries()) for (let n = 0; n < 8; n++) u.ws.send(JSON.stringify({ type: 'send', clientId: `u${i}-${n}`, text: longMessage(n) }));
    await firstAck;
    first.child.kill('SIGKILL');
    await exited(first.child);

    const totalAcked = [...acked.values()].reduce((n, seqs) => n + seqs.length, 0);
    expect(totalAcked).toBeGreaterThan(0);
    const lastSeen = new Map(users.map((u) => [u, Math.max(0, ...u.messages().map((m) => m.seq))]));

    const second = await startCliPlatform(data.dir);
    children.push(second.child);
    // The kill landed in the window: the restarted Platform found replies it owed.
    const owedLine = second.stderr().split('\n').find((l) => l.includes('replies owed since before the restart'));
    expect(owedLine, 'no reply was owed: the kill missed the window').toBeDefined();
    const answeredAtStart = JSON.parse(owedLine!).answered as number;
    expect(answeredAtStart).toBeGreaterThan(0);

    // Each user comes back with what they last saw: the welcome brings the missing replies.
    const designerAgain = await DesignerClient.connect(second.url, token);
    for (const u of users) {
      const back = await ChatClient.connect(second.url, 'starter', { session: u.session, lastSeq: lastSeen.get(u)! });
      const full = await ChatClient.connect(second.url, 'starter', { session: u.session });
      const history = full.welcome.messages;
      // Every acknowledged message is stored; each stored user message has one reply, none has two.
      for (const seq of acked.get(u)!) expect(history.find((m) => m.seq === seq)?.from).toBe('user');
      const c = counts(history);
      expect(c.bot).toBe(c.user);
      // Replies never reached this user before the kill are in the reconnect's welcome.
      const seenBefore = counts(u.messages());
      expect(counts(back.welcome.messages).bot).toBe(c.bot - seenBefore.bot);
      await back.close();
      await full.close();
    }

    // Designers see the same transcripts, and the held conversation has no bot reply after Ada took over.
    const { conversations: after } = await designerAgain.request('conversation.list', { filter: 'all' });
    for (const summary of after) {
      const { messages } = await designerAgain.request('conversation.transcript', { conversationId: summary.id });
      if (summary.id === heldId) {
        const takeover = messages.findIndex((m) => m.author === 'human');
        expect(messages.slice(takeover).some((m) => m.author === 'bot')).toBe(false);
        expect(messages.at(-1)).toMatchObject({ author: 'user', text: 'Are you still there?' });
      } else {
        expect(messages.filter((m) => m.author === 'bot').length).toBe(messages.filter((m) => m.author === 'user').length);
      }
    }
    await designerAgain.close();

    // A second restart owes nothing more: no reply is ever made twice.
    second.child.kill('SIGTERM');
    await exited(second.child);
    const third = await startCliPlatform(data.dir);
    children.push(third.child);
    expect(third.stderr()).not.toContain('replies owed since before the restart');
  }, 120_000);
});
