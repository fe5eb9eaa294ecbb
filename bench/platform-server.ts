/**
 * The Platform under load, in its own process so its CPU and memory are measured apart from the load generator.
 * Started by bench/platform.ts with an IPC channel: it answers `measure-start` / `measure-stop` with its own
 * CPU time and resident memory over the window. Its durability level is the first argument (`normal` or `full`);
 * it reports back the level it runs with, the bot, and the REST API's credentials. A second argument, a PostgreSQL
 * URL, runs it as one instance of a cluster on that database (bench/platform.ts `--database`, `--instances`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startPlatform } from '../server/platform.js';

const durability = process.argv[2] ?? 'normal';
if (durability !== 'normal' && durability !== 'full') throw new Error(`durability is normal or full, not ${durability}`);
const databaseUrl = process.argv[3] || undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'lts-bench-'));
const platform = await startPlatform({
  dataDir,
  durability,
  ...(databaseUrl ? { databaseUrl, appId: 'unbench', userKey: 'benchbenchbenchbench' } : {}),
  logger: false,
  // One load generator on loopback plays thousands of end users: the per-address limits would stop it.
  chatLimits: { newConversationsBurst: 1_000_000, newConversationsPerSecond: 1_000_000, messagesBurst: 1_000, messagesPerSecond: 1_000, maxConnections: 50_000, maxConnectionsPerAddress: 50_000, addressOpensBurst: 1_000_000, addressOpensPerSecond: 1_000_000, addressMessagesBurst: 1_000_000, addressMessagesPerSecond: 1_000_000 },
});
const designers: string[] = [];
for (let i = 1; i <= 5; i++) designers.push((await platform.createDesigner(`Bench designer ${i}`)).token);

let window: { cpu: NodeJS.CpuUsage; at: bigint; peakRss: number } | undefined;
// How long ready work waited for the event loop: when this grows, the Platform itself is the bottleneck.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
const sampler = setInterval(() => {
  if (window) window.peakRss = Math.max(window.peakRss, process.memoryUsage().rss);
}, 200);
sampler.unref();

process.on('message', (message: { type: string }) => {
  if (message.type === 'measure-start') {
    window = { cpu: process.cpuUsage(), at: process.hrtime.bigint(), peakRss: process.memoryUsage().rss };
    loopDelay.reset();
    loopDelay.enable();
    process.send!({ type: 'measure-started' });
  } else if (message.type === 'measure-stop' && window) {
    const cpu = process.cpuUsage(window.cpu);
    const elapsedUs = Number(process.hrtime.bigint() - window.at) / 1000;
    loopDelay.disable();
    process.send!({
      type: 'measured',
      cpuPercent: ((cpu.user + cpu.system) / elapsedUs) * 100,
      rssMb: process.memoryUsage().rss / 2 ** 20,
      peakRssMb: window.peakRss / 2 ** 20,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
    });
    window = undefined;
  } else if (message.type === 'stop') {
    void platform.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});

process.send!({ type: 'ready', url: platform.url, designers, durability, bot: 'starter', api: platform.apiCredentials });
