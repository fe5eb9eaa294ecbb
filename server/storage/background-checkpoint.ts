import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints on a worker thread with its own connection. SQLite's automatic checkpoint runs inside a commit on
 * the writing thread and fsyncs there: on a busy disk that stalled the Platform's event loop for hundreds of
 * milliseconds (measured with bench:platform's loop-delay column). A PASSIVE checkpoint never blocks the writer.
 *
 * The worker's code is plain CommonJS evaluated in place, so it runs the same from source (tsx) and compiled.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const run = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export interface BackgroundCheckpoint {
  stop(): Promise<void>;
}

export function startBackgroundCheckpoint(file: string, intervalMs: number, onError: (message: string) => void): BackgroundCheckpoint {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
  worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
  worker.on('error', (error) => onError(error.message));
  // It must never keep the process alive on its own.
  worker.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 2_000).unref();
      })),
  };
}
