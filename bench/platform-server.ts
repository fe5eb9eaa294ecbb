/**
 * The Platform under load, in its own process so its CPU and memory are measured apart from the load generator.
 * Started by bench/platform.ts with an IPC channel: it answers `measure-start` / `measure-stop` with its own
 * CPU time, resident memory and event-loop delay over the window. Arguments: the durability level (`normal` or
 * `full`), the data directory (made and removed by the bench), and optionally a PostgreSQL URL: then it is one
 * instance of a cluster on that database (`--database`, `--instances`). It reports back the level it runs with, the
 * storage, the bot, and the REST API's credentials.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startPlatform, type PlatformOptions } from '../server/platform.js';

const [durability = 'normal', dataDir, databaseUrl] = process.argv.slice(2);
// The bench gone (ended, crashed or killed with SIGKILL) closes this channel: a Platform left running by itself
// would hold its port and a core for nothing. Its data dir goes too (the bench could not remove it if killed).
process.on('disconnect', () => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});

if (durability !== 'normal' && durability !== 'full') throw new Error(`durability is normal or full, not ${durability}`);
if (!dataDir) throw new Error('usage: platform-server.ts <normal|full> <data dir> [postgres://...]');
const options: PlatformOptions = {
  dataDir,
  durability,
  // Every instance of a cluster must accept the same REST credentials (they are kept in each one's data dir).
  appId: 'unbench',
  userKey: 'benchbenchbenchbench',
  logger: false,
  // One load generator on loopback plays thousands of end users: the per-address limits would stop it.
  chatLimits: { newConversationsBurst: 1_000_000, newConversationsPerSecond: 1_000_000, messagesBurst: 1_000, messagesPerSecond: 1_000, maxConnections: 50_000, maxConnectionsPerAddress: 50_000, addressOpensBurst: 1_000_000, addressOpensPerSecond: 1_000_000, addressMessagesBurst: 1_000_000, addressMessagesPerSecond: 1_000_000 },
  ...(databaseUrl ? { databaseUrl } : {}),
};
const platform = await startPlatform(options);
const storage = existsSync(join(dataDir, 'platform.sqlite')) ? 'sqlite' : 'postgres';
const designers: string[] = [];
// In a cluster the designers are made once, by the first instance (the bench hands their tokens to the others).
if (process.env.BENCH_MAKE_DESIGNERS === '1') for (let i = 1; i <= 5; i++) designers.push((await platform.createDesigner(`Bench designer ${i}`)).token);

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
    void platform.close().then(() => process.exit(0));
  }
});

process.send!({ type: 'ready', pid: process.pid, url: platform.url, designers, durability, storage, bot: 'starter', api: platform.apiCredentials });
