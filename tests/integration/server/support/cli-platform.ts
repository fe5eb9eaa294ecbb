import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '../../../..');
export const cliArgs = ['--import', 'tsx', 'server/cli.ts'];

/**
 * The Platform as an operator runs it: the CLI in its own process (so a test can kill -9 it). Resolves once it prints
 * its URL; `stderr()` is everything it logged so far (pino JSON lines).
 */
export function startCliPlatform(dataDir: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [...cliArgs, '--port', extra.includes('--port') ? extra[extra.indexOf('--port') + 1]! : '0', '--data', dataDir, '--log-level', 'info', ...extra.filter((_, i) => extra[i] !== '--port' && extra[i - 1] !== '--port')], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Platform did not start: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Platform listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, url: m[1]!, stderr: () => err });
      }
    });
    child.once('exit', (code) => reject(new Error(`the Platform exited with ${code}: ${out}${err}`)));
  });
}

export const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
