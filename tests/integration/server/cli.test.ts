import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../../server/storage/sqlite-storage.js';
import { ChatClient, DesignerClient } from './support/clients.js';
import { tempDataDir } from './support/test-platform.js';

const root = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('npm run platform (server/cli.ts)', () => {
  const data = tempDataDir('cli');
  afterAll(() => data.remove());

  it('--help explains the commands, the flags and their environment variables', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const word of ['designer add NAME', 'reports [BOT]', '--port', '--data', '--host', '--app-id', '--user-key', 'PLATFORM_APP_ID', 'PLATFORM_USER_KEY', '--trust-proxy', 'PLATFORM_TRUST_PROXY']) expect(stdout).toContain(word);
  });

  it('a wrong flag or command fails with exit code 2 and says what was wrong', async () => {
    const badPort = await cli(['--port', 'eighty']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a port number');
    const unknown = await cli(['serve']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "serve"');
    const badProxy = await cli(['--trust-proxy', '127.0.0.1,my-balancer']);
    expect(badProxy.code).toBe(2);
    expect(badProxy.stderr).toContain('--trust-proxy takes addresses or networks (10.0.0.5, ::1, 10.0.0.0/8), not "my-balancer"');
  });

  it('designer add prints the token once and keeps only its hash', async () => {
    const { code, stdout } = await cli(['designer', 'add', 'Ada', 'Lovelace', '--data', data.dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('Designer "Ada Lovelace" created');
    const token = stdout.trim().split('\n').pop()!;
    expect(token).toMatch(/^ltd_[A-Za-z0-9_-]{40,}$/);
    const file = join(data.dir, 'platform.sqlite');
    const storage = new SqliteStorage({ file });
    expect((await storage.designers())[0]!.tokenHash).not.toContain(token);
    await storage.close();
    expect(readFileSync(file).includes(Buffer.from(token))).toBe(false);
    const list = await cli(['designer', 'list', '--data', data.dir]);
    expect(list.stdout).toContain('Ada Lovelace');
    expect(list.stdout).not.toContain(token);
  });

  it('runs: creates the data dir with the starter bot, prints its URLs and credentials from the environment, stops on SIGTERM', async () => {
    const fresh = tempDataDir('cli-run');
    const dataDir = join(fresh.dir, 'new-dir');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--data', dataDir], {
        cwd: root,
        env: { ...process.env, PLATFORM_APP_ID: 'unmyapp', PLATFORM_USER_KEY: 'k'.repeat(32), PLATFORM_LOG_LEVEL: 'silent' },
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL in ${out}`)), 30_000);
        child.stdout.on('data', () => {
          const m = /Platform listening on (http:\/\/\S+)\n[\s\S]*No designer accounts yet/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolveUrl(m[1]!);
          }
        });
      });
      expect(out).toContain(`Landing Page of starter: ${url}/chat/starter`);
      expect(out).toContain('Pandorabots API app id: unmyapp');
      expect(out).not.toContain('generated now');
      expect((await fetch(`${url}/chat/starter`)).status).toBe(200);
      const user = await ChatClient.connect(url);
      await user.say('Hello');
      const added = await cli(['designer', 'add', 'Bob', '--data', dataDir]);
      const designer = await DesignerClient.connect(url, added.stdout.trim().split('\n').pop()!);
      const { conversations } = await designer.request('conversation.list', { filter: 'all' });
      expect(conversations).toHaveLength(1);
      const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(out).toContain('SIGTERM: shutting down');
    } finally {
      fresh.remove();
    }
  });
});
