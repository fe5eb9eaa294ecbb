// A Studio process that keeps rewriting a large pand_livetraining.aiml and kills itself (SIGKILL) while one of its
// writes is under way (crash-safety test). argv: workspace folder, rounds to complete before the kill.
import { writeFileAtomic } from '../../../../node-lib/atomic-write.js';
import { LiveTrainingStore } from '../../../../main/workspace/live-training-store.js';
import { botWorkspace } from '../../../../main/workspace/workspace-files.js';

const workspaceDir = process.argv[2]!;
const killInRound = Number(process.argv[3] ?? 3);
const files = botWorkspace(workspaceDir, 'starter');
let n = 0;
const store = new LiveTrainingStore({
  bot: 'starter',
  ...files,
  writeFile: (path, data) => {
    const writing = writeFileAtomic(path, data);
    // The real atomic write runs on libuv's thread pool; a few milliseconds in, it is opening, writing or flushing.
    if (path === files.aimlFile && n === killInRound) setTimeout(() => process.kill(process.pid, 'SIGKILL'), Math.random() * 4);
    return writing;
  },
});
const filler = 'All work and no play makes a dull bot. '.repeat(12);

// Many megabytes of categories that stay the same, so that each round is mostly the writing of the file.
await store.update((categories) => {
  for (let i = 0; i < 20_000; i++) {
    const pattern = `QUESTION NUMBER ${i}`;
    categories.set(`${pattern}\u0000*\u0000*`, { pattern, that: '*', topic: '*', template: `${i}: ${filler}` });
  }
});

for (;;) {
  n++;
  process.stdout.write(`begin ${n}\n`);
  await store.update((categories) => void categories.set('ROUND\u0000*\u0000*', { pattern: 'ROUND', that: '*', topic: '*', template: `Round ${n}` }));
  process.stdout.write(`wrote ${n}\n`);
}
