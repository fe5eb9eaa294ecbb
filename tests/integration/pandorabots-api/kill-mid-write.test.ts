import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, type TalkBody } from './api-client.js';

// The real Platform CLI as a child process, killed with SIGKILL while uploads and a verify are in flight: after a
// restart every bot file is either the old or the new version byte for byte, and the bot answers.
const root = resolve(import.meta.dirname, '../../..');
const APP = 'killapp';
const KEY = 'killkey12345';
let child: ChildProcess | undefined;
let dataDir: string | undefined;

async function startCli(dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--data', dir, '--app-id', APP, '--user-key', KEY, '--log-level', 'silent'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the Platform did not start: ${out}`)), 30_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Platform listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    proc.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.once('exit', (code) => reject(new Error(`the Platform exited (${code}): ${out}`)));
  });
  return { proc, url };
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return r();
    proc.once('exit', () => r());
    proc.kill('SIGKILL');
  });
}

/** A 1.5 MB AIML file (so a write takes a while) whose one category says which version it is. */
function version(label: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n<!-- ${label.repeat(1_500_000 / label.length)} -->\n<category><pattern>WHICH VERSION</pattern><template>Version ${label}.</template></category>\n</aiml>\n`;
}

afterEach(async () => {
  if (child) await kill(child);
  child = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a Platform killed mid-write', () => {
  it('never leaves half a file or half a compiled version, and the bot answers after the restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'api-kill-'));
    const A = version('A');
    const B = version('B');
    let { proc, url } = await startCli(dataDir);
    let api = new ApiClient(url, APP, KEY);
    await api.bot('PUT', '/killbot');
    expect((await api.bot('PUT', '/killbot/file/main.aiml', { body: A })).status).toBe(200);
    expect((await api.bot('GET', '/killbot/verify')).status).toBe(200);

    // Uploads of both versions and verifies race each other; the process dies in the middle of it.
    const inFlight: Array<Promise<unknown>> = [];
    const acknowledged: string[] = [];
    for (let i = 0; i < 12; i++) {
      const body = i % 2 === 0 ? B : A;
      inFlight.push(
        api.bot('PUT', '/killbot/file/main.aiml', { body }).then(
          (r) => r.status === 200 && acknowledged.push(body === A ? 'A' : 'B'),
          () => undefined,
        ),
      );
      if (i % 3 === 2) inFlight.push(api.bot('GET', '/killbot/verify').catch(() => undefined));
    }
    // Kill as soon as the first upload is acknowledged: the others are still being received or written.
    const giveUp = Date.now() + 20_000;
    while (acknowledged.length === 0 && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 2));
    expect(acknowledged.length).toBeGreaterThan(0);
    await kill(proc);
    await Promise.allSettled(inFlight);
    expect(acknowledged.length).toBeLessThan(12);

    ({ proc, url } = await startCli(dataDir));
    api = new ApiClient(url, APP, KEY);
    const file = await api.bot('GET', '/killbot/file/main.aiml');
    expect(file.status).toBe(200);
    expect([A, B]).toContain(file.text);
    expect(readdirSync(join(dataDir, 'bots', 'killbot', 'aiml')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    const answer = (await api.talkForm('killbot', { input: 'which version', recent: 'true' })).json() as TalkBody;
    expect(['Version A.', 'Version B.']).toContain(answer.responses[0]);
    // Verifying now makes the bot answer with exactly the file it holds.
    expect((await api.bot('GET', '/killbot/verify')).status).toBe(200);
    const after = (await api.talkForm('killbot', { input: 'which version' })).json() as TalkBody;
    expect(after.responses).toEqual([file.text === A ? 'Version A.' : 'Version B.']);
  });
});
