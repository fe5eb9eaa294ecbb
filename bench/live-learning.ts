/**
 * Live learning on the Platform (issue 13): a designer replies to an input the bot could not answer, and a new
 * conversation asks the same input; how long from the reply's acknowledgement until the new conversation gets the
 * trained answer (p50, p99, max). On the starter bot and on ALICE (`../shared/data/aiml/alice-foundation`), each with
 * 10,000 learned categories already on the Platform. Also the longest event-loop stall of the process while it runs
 * (the Platform and the clients share this process, so it is an upper bound for the Platform's).
 *
 * `npm run bench:live-learning -- --rounds 100 --learned 10000 --bots starter,alice`
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { LearnedCategory } from '../protocol/learned.js';
import { startPlatform } from '../server/platform.js';
import { SqliteLearnedStore } from '../server/training/sqlite-learned-store.js';
import { ChatClient, DesignerClient } from '../tests/integration/server/support/clients.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '100' }, learned: { type: 'string', default: '10000' }, bots: { type: 'string', default: 'starter,alice' } } });
const ROUNDS = Number(values.rounds);
const LEARNED = Number(values.learned);
const ALICE = resolve(import.meta.dirname, '../../shared/data/aiml/alice-foundation');

const seeder = { id: 'bench', name: 'Bench seed' };

/** The learned categories a team has already taught, written into the Platform's learned store before it starts. */
async function seedLearned(dataDir: string, bot: string, count: number): Promise<void> {
  const store = new SqliteLearnedStore(join(dataDir, 'learned.db'));
  const at = Date.now();
  const upserts: LearnedCategory[] = Array.from({ length: count }, (_, i) => ({
    id: `seed${String(i).padStart(6, '0')}`,
    bot,
    pattern: `BENCH SEEDED QUESTION NUMBER ${i}`,
    that: '*',
    topic: '*',
    template: `Seeded answer ${i}.`,
    status: 'approved',
    version: 1,
    createdBy: seeder,
    createdAt: at,
    updatedBy: seeder,
    updatedAt: at,
  }));
  await store.commit(bot, { upserts });
  await store.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function ask(url: string, bot: string, text: string): Promise<string> {
  const user = await ChatClient.connect(url, bot);
  const sent = await user.say(text);
  const reply = await user.waitForMessage((m) => m.seq === sent.seq + 1, 'reply', 10_000);
  await user.close();
  return reply.text;
}

async function run(bot: string): Promise<Record<string, string | number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lts-bench-learning-'));
  try {
    if (bot === 'alice') {
      mkdirSync(join(dataDir, 'bots', 'alice'), { recursive: true });
      cpSync(join(ALICE, 'aiml'), join(dataDir, 'bots', 'alice', 'aiml'), { recursive: true });
    }
    await seedLearned(dataDir, bot, LEARNED);
    const started = performance.now();
    const platform = await startPlatform({
      dataDir,
      logger: false,
      chatLimits: { newConversationsBurst: 1_000_000, newConversationsPerSecond: 1_000_000, addressOpensBurst: 1_000_000, addressOpensPerSecond: 1_000_000 },
    });
    const startMs = performance.now() - started;
    const designer = await DesignerClient.connect(platform.url, (await platform.createDesigner('Ada')).token);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const latencies: number[] = [];
    let notCaptured = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const question = `Zorblax quux flimwag ${i}`;
      const answer = `Trained answer ${i}.`;
      const user = await ChatClient.connect(platform.url, bot);
      const sent = await user.say(question);
      await user.waitForMessage((m) => m.seq === sent.seq + 1, 'fallback', 10_000);
      const { conversations } = await designer.request('conversation.list', { bot, filter: 'all', limit: 5 });
      const conversation = conversations.find((c) => c.lastSeq === sent.seq + 1)!;
      await designer.request('conversation.reply', { conversationId: conversation.id, text: answer });
      const acked = performance.now();
      let got = '';
      while (performance.now() - acked < 5_000) {
        got = await ask(platform.url, bot, question);
        if (got === answer) break;
      }
      if (got === answer) latencies.push(performance.now() - acked);
      else notCaptured++;
      await user.close();
    }
    loop.disable();
    await designer.close();
    // The storage's checkpoint worker is unref'd: with nothing else left on the loop, a script would end before its
    // close finished (exit code 13). Keep the loop alive until it has.
    const keepAlive = setInterval(() => {}, 1_000);
    await platform.close();
    clearInterval(keepAlive);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      bot,
      'learned before': LEARNED,
      rounds: ROUNDS,
      'start (ms)': Math.round(startMs),
      'p50 (ms)': sorted.length ? Math.round(percentile(sorted, 50)) : '-',
      'p99 (ms)': sorted.length ? Math.round(percentile(sorted, 99)) : '-',
      'max (ms)': sorted.length ? Math.round(sorted[sorted.length - 1]!) : '-',
      'not learned in 5 s': notCaptured,
      'loop stall max (ms)': Math.round(loop.max / 1e6),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows = [];
for (const bot of values.bots.split(',')) rows.push(await run(bot));
console.log('Designer reply -> a new conversation gets the trained answer (from the reply\'s acknowledgement to the answer received)');
console.table(rows);
console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
