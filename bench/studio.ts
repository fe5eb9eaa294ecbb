/**
 * `npm run bench:studio`: the Studio renderer in Chromium (Playwright, the system Chromium).
 *  1. Time to first render of the inbox with 10,000 conversations: from mounting the app (app state, list
 *     request, sorting, rendering) to the first frame painted with list rows, over several fresh page loads;
 *     also the part of it after the list data arrived.
 *  2. Frame times while 200 incoming user messages a second stream in (each one a `conversations.upsert` and a
 *     `messages.appended` event through the real cache patching, list and open transcript).
 * The input is generated (seeded), not real conversations: see bench/studio-page/generated-studio.ts.
 * Targets (issue 5): first render under 100 ms; no frame over 50 ms while events stream.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../tests/e2e/support/chromium.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const CONVERSATIONS = Number(args.get('conversations') ?? 10_000);
const RATE = Number(args.get('rate') ?? 200);
const SECONDS = Number(args.get('seconds') ?? 10);
const LOADS = Number(args.get('loads') ?? 5);

const root = fileURLToPath(new URL('./studio-page/', import.meta.url));
const outDir = fileURLToPath(new URL('../out/bench-studio/', import.meta.url));

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function serve(dir: string): Promise<{ server: Server; url: string }> {
  // answer() turns every failure (a bad escape, a missing file) into a 404, so the promise it returns never rejects.
  const server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      const body = await readFile(join(dir, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': TYPES[extname(path) || '.html'] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  }
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main() {
  process.stdout.write('Building the benchmark page (real renderer code, generated data)... ');
  await build({ root, base: './', plugins: [react()], logLevel: 'silent', build: { outDir, emptyOutDir: true, target: 'chrome130', sourcemap: false } });
  console.log('done');
  const { server, url } = await serve(outDir);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const firstRenders: number[] = [];
    const afterData: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const page = await context.newPage();
      await page.goto(`${url}?conversations=${CONVERSATIONS}`);
      await page.waitForFunction(() => 'studioBench' in window);
      const first = await page.evaluate(() => window.studioBench.firstRender());
      firstRenders.push(first.fromMount);
      afterData.push(first.fromData);
      if (i < LOADS - 1) await page.close();
    }
    const page = context.pages().at(-1)!;
    const streamed = await page.evaluate(([rate, duration]) => window.studioBench.stream(rate!, duration!), [RATE, SECONDS * 1000]);
    const frames = streamed.frames;
    const over50 = frames.filter((f) => f > 50).length;
    const maxFrame = Math.max(...frames);
    const medianFirst = percentile(firstRenders, 50);

    const rows: [string, string, string][] = [
      ['conversations (generated)', String(CONVERSATIONS), ''],
      [`first render, median of ${LOADS} loads`, ms(medianFirst), medianFirst < 100 ? 'target < 100 ms: met' : 'target < 100 ms: MISSED'],
      ['first render, slowest load', ms(Math.max(...firstRenders)), 'app mount -> first frame with rows'],
      ['  of which after the list arrived', `${ms(percentile(afterData, 50))} median`, 'list data -> first frame with rows'],
      ['events streamed', `${streamed.sent} in ${streamed.seconds.toFixed(1)} s (${(streamed.sent / streamed.seconds).toFixed(0)}/s)`, 'each: upsert + appended'],
      ['frames while streaming', String(frames.length), `${(frames.length / streamed.seconds).toFixed(0)} fps`],
      ['frame time p50 / p95 / p99', `${ms(percentile(frames, 50))} / ${ms(percentile(frames, 95))} / ${ms(percentile(frames, 99))}`, ''],
      ['longest frame', ms(maxFrame), maxFrame <= 50 ? 'target <= 50 ms: met' : 'target <= 50 ms: MISSED'],
      ['frames over 50 ms', String(over50), ''],
      ['long tasks (> 50 ms)', `${streamed.longTasks.length}${streamed.longTasks.length ? `, longest ${ms(Math.max(...streamed.longTasks))}` : ''}`, ''],
      ['list rows in the DOM', String(streamed.rows), 'virtualised'],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log(`\nStudio renderer benchmark (Chromium ${browser.version()}, ${process.platform}, input: generated conversations)`);
    console.log(`${'measure'.padEnd(w0)}  ${'value'.padEnd(w1)}  note`);
    console.log(`${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ----`);
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
