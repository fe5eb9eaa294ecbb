/**
 * Runs AIML conformance cases (format: ../shared/conformance/README.md) against our engine.
 *   npm run --silent test:conformance -- [--cases FILE]... [--verbose] [--filter TEXT]
 * Default: every *.jsonl in ../shared/conformance relative to the repository root. The last line is always
 * `N passed, M failed`; the exit code is 0 only when nothing failed. Without cases (../shared is not part of this
 * repository) it says so on a line `skipped: REASON`, ends with `0 passed, 0 failed, 1 skipped` and exits 0: whether
 * that is acceptable is for the caller to decide (`npm test` fails it in CI).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBot, type Reply } from '../aiml/index.js';

interface Step {
  input: string;
  expect: string;
  match: 'exact' | 'regex';
}
interface Case {
  id: string;
  files: Record<string, string>;
  steps: Step[];
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultDir = join(root, '..', 'shared', 'conformance');

function parseArgs(argv: string[]) {
  const cases: string[] = [];
  let verbose = false;
  let filter: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--cases') cases.push(argv[++i] ?? '');
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--filter') filter = argv[++i];
    else throw new Error(`unknown argument ${a} (expected --cases FILE, --filter TEXT, --verbose)`);
  }
  return { cases, verbose, filter };
}

const norm = (s: string) => {
  s = s.replace(/\s+/g, ' ').trim();
  if (s.endsWith('.')) s = s.slice(0, -1).trimEnd();
  return s.toLowerCase();
};

/**
 * The cases' rule (../shared/conformance/README.md): an engine's fallback text for "no category matched" counts as
 * an empty answer. Our engine marks those sentences (match.noMatch), so only its own no-match text is dropped.
 */
function answerText(reply: Reply): string {
  if (!reply.sentences.some((s) => s.match.noMatch)) return reply.text;
  return reply.sentences
    .filter((s) => !s.match.noMatch && s.text.length > 0)
    .map((s) => s.text)
    .join(' ');
}

export function stepPasses(step: Step, answer: string): boolean {
  return step.match === 'exact' ? norm(answer) === norm(step.expect) : new RegExp(step.expect, 'i').test(answer.replace(/\s+/g, ' ').trim());
}

function main(): number {
  const { cases: caseFiles, verbose, filter } = parseArgs(process.argv.slice(2));
  let files = caseFiles;
  if (files.length === 0) {
    files = existsSync(defaultDir)
      ? readdirSync(defaultDir)
          .filter((f) => f.endsWith('.jsonl'))
          .sort()
          .map((f) => join(defaultDir, f))
      : [];
    if (files.length === 0) {
      console.log(`skipped: ${existsSync(defaultDir) ? `no *.jsonl cases in ${defaultDir}` : `${defaultDir} is absent`}`);
      console.log('0 passed, 0 failed, 1 skipped');
      return 0;
    }
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0);
    for (const [index, line] of lines.entries()) {
      let c: Case;
      try {
        c = JSON.parse(line) as Case;
        if (typeof c.id !== 'string' || typeof c.files !== 'object' || !Array.isArray(c.steps)) throw new Error('expected id, files and steps');
      } catch (e) {
        failed++;
        console.log(`FAIL ${file}:${index + 1}: not a conformance case (${e instanceof Error ? e.message : String(e)})`);
        continue;
      }
      if (filter && !c.id.includes(filter)) continue;
      const { bot } = compileBot(c.files, { botName: 'conformance' });
      const session = bot.createSession('conformance-client');
      const problems: string[] = [];
      for (const step of c.steps) {
        let answer: string;
        try {
          answer = answerText(bot.respond(session, step.input));
        } catch (e) {
          answer = `<<threw ${e instanceof Error ? e.message : String(e)}>>`;
        }
        if (!stepPasses(step, answer)) problems.push(`  input ${JSON.stringify(step.input)}\n    expected ${JSON.stringify(step.expect)}\n    got      ${JSON.stringify(answer)}`);
      }
      if (problems.length === 0) {
        passed++;
        if (verbose) console.log(`ok   ${c.id}`);
      } else {
        failed++;
        console.log(`FAIL ${c.id}\n${problems.join('\n')}`);
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
