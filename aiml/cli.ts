/**
 * Talk to a bot directory from the shell:
 *   npm run --silent aiml -- --bot DIR [--json] [--client ID] [--diagnostics]
 * Reads one input per line on stdin and prints one reply per line on stdout (with --json: one JSON object
 * per line with the reply's metadata). Load problems go to stderr.
 */
import { createInterface } from 'node:readline';
import { loadBotDirectory } from './loader.js';

interface CliArgs {
  bot: string;
  json: boolean;
  client: string;
  diagnostics: boolean;
}

const USAGE = 'usage: npm run --silent aiml -- --bot DIR [--json] [--client ID] [--diagnostics]';

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { bot: '', json: false, client: 'cli', diagnostics: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--bot') args.bot = argv[++i] ?? '';
    else if (a === '--json') args.json = true;
    else if (a === '--client') args.client = argv[++i] ?? 'cli';
    else if (a === '--diagnostics') args.diagnostics = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  if (!args.bot) throw new Error(`--bot DIR is required\n${USAGE}`);
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { bot, diagnostics } = await loadBotDirectory(args.bot);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of args.diagnostics ? diagnostics : errors) {
    process.stderr.write(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
  }
  process.stderr.write(`loaded ${bot.name}: ${bot.categoryCount} categories, ${errors.length} errors\n`);
  const session = bot.createSession(args.client);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const reply = bot.respond(session, line);
    if (args.json) {
      process.stdout.write(JSON.stringify({ input: line, text: reply.text, sentences: reply.sentences, ...(reply.limitHit ? { limitHit: reply.limitHit } : {}) }) + '\n');
    } else process.stdout.write(reply.text.replace(/\n/g, ' ') + '\n');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
