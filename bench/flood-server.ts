/**
 * The Platform under a flood, in its own process (as a deployment runs it) with its default limits: started by
 * bench/flood.ts with an IPC channel, it sends `ready` with its port and a designer token, measures its event-loop delay between
 * `measure-start` and `measure-stop`, and stops on `stop`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startPlatform } from '../server/platform.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lts-flood-'));
// On 127.0.0.1; clients bind other loopback addresses (127.0.0.0/8) to come from different addresses.
const platform = await startPlatform({ dataDir, logger: false });
const designer = (await platform.createDesigner('Flood bench')).token;

// How long ready work waited for the Platform's event loop: tells a stall of the Platform from a slow machine.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let cpuAtStart = process.cpuUsage();

process.on('message', (message: { type: string }) => {
  if (message.type === 'measure-start') {
    loopDelay.reset();
    loopDelay.enable();
    cpuAtStart = process.cpuUsage();
    return void process.send!({ type: 'measure-started' });
  }
  if (message.type === 'measure-stop') {
    loopDelay.disable();
    const cpu = process.cpuUsage(cpuAtStart);
    return void process.send!({ type: 'measured', cpuMs: (cpu.user + cpu.system) / 1000, loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 });
  }
  if (message.type !== 'stop') return;
  void platform.close().then(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
process.send!({ type: 'ready', port: platform.port, designer });
