import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, DesignerClient, openSocket } from './support/clients.js';
import { cliArgs, projectRoot } from './support/cli-platform.js';
import { startTestPlatform } from './support/test-platform.js';

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, [...cliArgs, ...args], { cwd: projectRoot }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

/** Does the running Platform let a page on `origin` open the chat socket? */
const socketAllowed = (url: string, origin: string) =>
  openSocket(`${url.replace(/^http/, 'ws')}/ws/chat?bot=starter`, { Origin: origin }).then(
    (ws) => {
      ws.close();
      return true;
    },
    (e: { status?: number }) => (e.status === 403 ? false : Promise.reject(e)),
  );

describe('which sites may show the Chat Widget: the widget-origins command on a running Platform', () => {
  let t: Awaited<ReturnType<typeof startTestPlatform>>;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the policy, restricts it to listed sites, applies it to the running Platform within seconds, and tells designers', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const listed = await cli(['widget-origins', 'starter', '--data', t.dataDir]);
    expect(listed).toMatchObject({ code: 0 });
    expect(listed.stdout).toContain('The Chat Widget of starter works on any site.');
    expect(await socketAllowed(t.url, 'https://evil.example')).toBe(true);

    const restricted = await cli(['widget-origins', 'starter', '--allow', 'https://Shop.Example/', '--allow', 'http://127.0.0.1:8081', '--data', t.dataDir]);
    expect(restricted.code).toBe(0);
    expect(restricted.stdout).toContain('works only on these sites');
    expect(restricted.stdout).toContain('https://shop.example');
    expect(restricted.stdout).toContain('http://127.0.0.1:8081');

    await expect.poll(() => socketAllowed(t.url, 'https://evil.example'), { timeout: 10_000 }).toBe(false);
    expect(await socketAllowed(t.url, 'https://shop.example')).toBe(true);
    // The Platform's own pages (the Landing Page) always may.
    expect(await socketAllowed(t.url, new URL(t.url).origin)).toBe(true);
    const updated = await designer.waitForEvent((e) => e.event.type === 'settings.updated', 'settings.updated');
    expect(updated.event).toMatchObject({ type: 'settings.updated', bot: 'starter', settings: { allowedOrigins: ['https://shop.example', 'http://127.0.0.1:8081'] } });
    // The widget of a refused site learns why, readably.
    const refusal = await fetch(`${t.url}/widget-settings?bot=starter`, { headers: { Origin: 'https://evil.example' } });
    expect(refusal.status).toBe(403);
    expect((await refusal.json()).message).toContain("add https://evil.example to the bot's allowed origins");
    // Designers learn which site was refused, once per site for a while however often its pages ask.
    const noted = await designer.waitForEvent((e) => e.event.type === 'settings.updated' && (e.event.settings.refusedOrigins ?? []).length > 0, 'refusal noted');
    expect(noted.event).toMatchObject({ settings: { refusedOrigins: [{ origin: 'https://evil.example', count: 1 }] } });
    expect((await fetch(`${t.url}/widget-settings?bot=starter`, { headers: { Origin: 'https://evil.example' } })).status).toBe(403);

    const removed = await cli(['widget-origins', 'starter', '--remove', 'http://127.0.0.1:8081', '--data', t.dataDir]);
    expect(removed.stdout).not.toContain('8081');
    // The second refusal (before this change) was not noted again: the event of this change still says once.
    await expect.poll(() => socketAllowed(t.url, 'http://127.0.0.1:8081'), { timeout: 10_000 }).toBe(false);
    const afterRemoval = await designer.waitForEvent((e) => e.event.type === 'settings.updated' && !e.event.settings.allowedOrigins.includes('http://127.0.0.1:8081'), 'removal');
    expect(afterRemoval.event).toMatchObject({ settings: { refusedOrigins: [{ origin: 'https://evil.example', count: 1 }] } });
    const any = await cli(['widget-origins', 'starter', '--any', '--data', t.dataDir]);
    expect(any.stdout).toContain('works on any site');
    expect(any.stdout).toContain('Also listed (used once you restrict it): https://shop.example');
    await expect.poll(() => socketAllowed(t.url, 'https://evil.example'), { timeout: 10_000 }).toBe(true);
    await designer.close();
  });

  it('bad input gets a clear error, exit code 2, and changes nothing', async () => {
    const before = (await cli(['widget-origins', 'starter', '--data', t.dataDir])).stdout;
    const cases: Array<[string[], string]> = [
      [['--allow', 'shop.example'], 'is not an origin'],
      [['--allow', 'https://shop.example/checkout'], 'give only https://shop.example'],
      [['--allow', 'ftp://shop.example'], 'must start with https:// or http://'],
      [['--remove', 'https://never-listed.example'], 'is not on the list of starter'],
      [['--any', '--allow', 'https://a.example'], 'use one of them'],
    ];
    for (const [flags, message] of cases) {
      const r = await cli(['widget-origins', 'starter', ...flags, '--data', t.dataDir]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const unknownBot = await cli(['widget-origins', 'nosuchbot', '--data', t.dataDir]);
    expect(unknownBot).toMatchObject({ code: 2 });
    expect(unknownBot.stderr).toContain('there is no bot named nosuchbot');
    expect((await cli(['widget-origins', 'starter', '--data', t.dataDir])).stdout).toBe(before);
    const help = await cli(['--help']);
    expect(help.stdout).toContain('widget-origins BOT');
  });

  it('the front page has the snippet in a box it fits, with a Copy button; /favicon.ico is an icon', async () => {
    const page = await (await fetch(`${t.url}/`)).text();
    expect(page).toContain('<button type="button" class="copy" data-copy="widget-snippet">Copy</button>');
    expect(page).toContain('<script src="/channels/front-page.js"></script>');
    const script = await fetch(`${t.url}/channels/front-page.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('navigator.clipboard');
    const css = await (await fetch(`${t.url}/channels/landing.css`)).text();
    expect(css).toMatch(/\.snippet pre \{[^}]*white-space: pre-wrap/);

    const icon = await fetch(`${t.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    const bytes = Buffer.from(await icon.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(bytes.readUInt16LE(4)).toBeGreaterThan(0);
  });

  it('a chat session key is issued by the Platform when the channel has none, and finds the same conversation later', async () => {
    const ws = await openSocket(`${t.url.replace(/^http/, 'ws')}/ws/chat?bot=starter`);
    const frames: Array<{ type: string; session?: string; keepConversationMinutes?: number }> = [];
    const welcome = new Promise<{ session?: string; keepConversationMinutes?: number }>((resolve) =>
      ws.on('message', (raw) => {
        const frame = JSON.parse(raw.toString());
        frames.push(frame);
        if (frame.type === 'welcome') resolve(frame);
      }),
    );
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget' }));
    const issued = await welcome;
    expect(issued.session).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(issued.keepConversationMinutes).toBe(7 * 24 * 60);
    ws.send(JSON.stringify({ type: 'send', clientId: 'first', text: 'Hello' }));
    await expect.poll(() => frames.some((f) => f.type === 'message')).toBe(true);
    ws.close();
    const back = await ChatClient.connect(t.url, 'starter', { session: issued.session!, channel: 'widget' });
    expect(back.welcome.messages[0]).toMatchObject({ from: 'user', text: 'Hello' });
    await back.close();
  });
});
