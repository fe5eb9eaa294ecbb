import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../../protocol/designer-wire.js';
import { ChatClient, DesignerClient } from './support/clients.js';
import { tempDataDir } from './support/test-platform.js';

const root = resolve(import.meta.dirname, '../../..');
const cli = ['--import', 'tsx', 'server/cli.ts'];

/** The Platform as an operator runs it: the CLI in its own process. Resolves once it prints its URL. */
function startCli(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...cli, '--port', '0', '--data', dataDir, '--log-level', 'warn'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolveStart, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the Platform did not start: ${out}${err}`)), 30_000);
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Platform listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`the Platform exited with ${code}: ${out}${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

describe('a Platform killed with SIGKILL mid-conversation loses nothing it acknowledged', () => {
  const children: ChildProcess[] = [];
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    for (const c of cleanups) c();
  });

  it('every acknowledged user message, bot reply, takeover and event is there after a restart', async () => {
    const data = tempDataDir('crash');
    cleanups.push(data.remove);
    const added = execFileSync(process.execPath, [...cli, 'designer', 'add', 'Ada', '--data', data.dir], { cwd: root, encoding: 'utf8' });
    const token = added.trim().split('\n').pop()!;
    expect(token).toMatch(/^ltd_/);

    const first = await startCli(data.dir);
    children.push(first.child);
    const designer = await DesignerClient.connect(first.url, token);
    designer.ws.on('error', () => {});

    // Five users chat as fast as the bot answers; every stored echo is an acknowledgement.
    const users = await Promise.all(Array.from({ length: 5 }, () => ChatClient.connect(first.url)));
    const acknowledged = new Map<string, Array<{ seq: number; text: string; clientId: string }>>();
    let running = true;
    const loops = users.map(async (user, u) => {
      user.ws.on('error', () => {});
      const mine: Array<{ seq: number; text: string; clientId: string }> = [];
      acknowledged.set(user.session, mine);
      for (let i = 0; running; i++) {
        const clientId = `u${u}-m${i}`;
        const text = i % 2 ? `Hello number ${i}` : `Who are you ${i}`;
        try {
          const stored = await user.say(text, clientId);
          mine.push({ seq: stored.seq, text, clientId });
          await user.waitForMessage((m) => m.seq === stored.seq + 1, 'reply', 2_000);
        } catch {
          return; // the Platform died under us
        }
      }
    });

    // Mid-conversation, Ada takes one over; its acknowledgement must survive too.
    const held = await designer.waitForEvent((e) => e.event.type === 'conversation.started', 'a conversation started');
    if (held?.event.type !== 'conversation.started') throw new Error('no conversation started');
    const heldId = held.event.conversation.id;
    const takeover = await designer.request('conversation.reply', { conversationId: heldId, text: 'Ada takes over.' });
    // The crash comes mid-traffic: once the other users have had 20 more messages acknowledged since the takeover.
    const ackedNow = () => [...acknowledged.values()].reduce((n, list) => n + list.length, 0);
    const atTakeover = ackedNow();
    await vi.waitFor(() => expect(ackedNow()).toBeGreaterThanOrEqual(atTakeover + 20), { timeout: 30_000, interval: 20 });

    first.child.kill('SIGKILL');
    await exited(first.child);
    running = false;
    await Promise.all(loops);
    const seenBefore = new Map(designer.events('starter').map((e) => [e.id, e]));
    const lastSeen = Math.max(...seenBefore.keys());
    const totalAcked = [...acknowledged.values()].reduce((n, list) => n + list.length, 0);
    expect(totalAcked).toBeGreaterThan(20);

    const second = await startCli(data.dir);
    children.push(second.child);

    // Each user reloads (same session): every acknowledged message is there, once, seqs gap-free.
    for (const user of users) {
      const back = await ChatClient.connect(second.url, 'starter', { session: user.session });
      const history = back.welcome.messages;
      expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => i + 1));
      for (const ack of acknowledged.get(user.session)!) {
        expect(history.find((m) => m.seq === ack.seq)).toMatchObject({ from: 'user', text: ack.text, clientId: ack.clientId });
      }
      await back.close();
    }

    // The designer resumes from the last event it saw: the ids continue without a gap, and nothing it saw is gone.
    const resumed = await DesignerClient.connect(second.url, token, { starter: lastSeen });
    expect(resumed.log.frames.some((f) => f.type === 'snapshot')).toBe(false);
    const welcome = resumed.log.frames.find((f) => f.type === 'welcome');
    const lastEventId = welcome?.type === 'welcome' ? welcome.bots.find((b) => b.name === 'starter')!.lastEventId : -1;
    expect(lastEventId).toBeGreaterThanOrEqual(lastSeen);
    expect(resumed.events('starter').map((e) => e.id)).toEqual(Array.from({ length: lastEventId - lastSeen }, (_, i) => lastSeen + 1 + i));
    const fromStart = await DesignerClient.connect(second.url, token, { starter: 0 });
    const replay = new Map<number, EventEnvelope>(fromStart.events('starter').map((e) => [e.id, e]));
    for (const [id, seen] of seenBefore) expect(replay.get(id)).toEqual(seen);

    // The takeover still holds: paused, by Ada, with its three messages.
    const { conversation } = await fromStart.request('conversation.get', { conversationId: heldId });
    expect(conversation.state).toBe('paused');
    expect(conversation.heldBy?.name).toBe('Ada');
    const { messages } = await fromStart.request('conversation.transcript', { conversationId: heldId });
    for (const m of takeover.messages) expect(messages.find((x) => x.seq === m.seq)).toMatchObject({ author: m.author, text: m.text });
    await resumed.close();
    await fromStart.close();

    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(second.child.exitCode).toBe(0);
  });
});
