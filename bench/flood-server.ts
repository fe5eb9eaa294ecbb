/**
 * The Platform under a flood, in its own process (as a deployment runs it) with its default limits: started by
 * bench/flood.ts with an IPC channel, it sends `ready` with its URL and a designer token, and stops on `stop`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../server/platform.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lts-flood-'));
// On 127.0.0.1; clients bind other loopback addresses (127.0.0.0/8) to come from different addresses.
const platform = await startPlatform({ dataDir, logger: false });
const designer = platform.createDesigner('Flood bench').token;

process.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  void platform.close().then(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
process.send!({ type: 'ready', port: platform.port, designer });
