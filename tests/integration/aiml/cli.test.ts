import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function run(script: string, args: string[], input = '') {
  return spawnSync(tsx, [join(root, script), ...args], { cwd: root, input, encoding: 'utf8', timeout: 30_000 });
}

describe('aiml CLI and conformance runner', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aiml-cli-'));
    mkdirSync(join(dir, 'aiml'));
    writeFileSync(
      join(dir, 'aiml', 'bot.aiml'),
      '<aiml><category><pattern>HELLO</pattern><template>Hi there!</template></category><category><pattern>MY NAME IS *</pattern><template>Nice to meet you, <set name="name"><star/></set>.</template></category><category><pattern>WHO AM I</pattern><template>You are <get name="name"/>.</template></category></aiml>',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers one line per input line, keeping one conversation', () => {
    const r = run('aiml/cli.ts', ['--bot', dir], 'hello\nmy name is Ada\nwho am i\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Hi there!\nNice to meet you, Ada.\nYou are Ada.\n');
    expect(r.stderr).toMatch(/3 categories, 0 errors/);
  });

  it('prints one JSON line with the match metadata per reply with --json', () => {
    const r = run('aiml/cli.ts', ['--bot', dir, '--json'], 'hello\n');
    const line = JSON.parse(r.stdout.trim());
    expect(line).toMatchObject({ input: 'hello', text: 'Hi there!', sentences: [{ input: 'HELLO', match: { pattern: 'HELLO', file: 'aiml/bot.aiml', defaultCategory: false } }] });
  });

  it('explains a bad command line', () => {
    const r = run('aiml/cli.ts', []);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--bot DIR is required/);
  });

  it('runs conformance cases, prints N passed, M failed last and fails when a case fails', () => {
    const file = join(dir, 'cases.jsonl');
    const files = { 'aiml/a.aiml': '<aiml><category><pattern>HI</pattern><template>Hello.</template></category></aiml>' };
    writeFileSync(
      file,
      [
        { id: 'x/T.pass', files, steps: [{ input: 'HI', expect: 'HELLO', match: 'exact' }] },
        { id: 'x/T.fail', files, steps: [{ input: 'HI', expect: 'Goodbye', match: 'exact' }] },
        { id: 'x/T.regex', files, steps: [{ input: 'HI', expect: '^hel+o', match: 'regex' }] },
      ]
        .map((c) => JSON.stringify(c))
        .join('\n'),
    );
    const r = run('scripts/conformance.ts', ['--cases', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL x\/T\.fail/);
    expect(r.stdout.trim().split('\n').pop()).toBe('2 passed, 1 failed');
    const ok = run('scripts/conformance.ts', ['--cases', file, '--filter', 'pass']);
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split('\n').pop()).toBe('1 passed, 0 failed');
  });
});
