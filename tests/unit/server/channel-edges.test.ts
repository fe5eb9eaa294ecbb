import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChannelAssets } from '../../../server/channels/static-assets.js';
import { resourcePath } from '../../../server/resources/resource-root.js';
import { renderLandingPage } from '../../../server/channels/landing-page.js';
import { originAllowed } from '../../../server/chat/origin-policy.js';
import { decodeCursor, encodeCursor, toFtsQuery } from '../../../server/conversations/search-query.js';
import { TokenBucket } from '../../../server/limits/token-bucket.js';
import { LiveTrainingSettingsStore, loadDefaultSettings } from '../../../server/settings/live-training-settings.js';
import { SqliteStorage } from '../../../server/storage/sqlite-storage.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('origin policy of the chat socket', () => {
  it('allows the Platform’s own pages and non-browser clients', () => {
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', [])).toBe(true);
    expect(originAllowed(undefined, '127.0.0.1:8080', [])).toBe(true);
  });
  it('allows exactly the listed origins (or *), nothing that merely looks alike', () => {
    const allowed = ['https://shop.example', 'https://app.example:8443/'];
    expect(originAllowed('https://shop.example', 'platform:80', allowed)).toBe(true);
    expect(originAllowed('https://app.example:8443', 'platform:80', allowed)).toBe(true);
    expect(originAllowed('http://shop.example', 'platform:80', allowed)).toBe(false);
    expect(originAllowed('https://shop.example.evil.test', 'platform:80', allowed)).toBe(false);
    expect(originAllowed('null', 'platform:80', allowed)).toBe(false);
    expect(originAllowed('https://anything.test', 'platform:80', ['*'])).toBe(true);
  });
});

describe('token bucket (per-client rate limit)', () => {
  it('allows the burst, then one per refill interval, and says how long to wait', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(clock, 3, 2);
    expect([bucket.take(), bucket.take(), bucket.take()].every((r) => r.ok)).toBe(true);
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 500 });
    clock.advance(500);
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take().ok).toBe(false);
  });
});

describe('designer search input', () => {
  it('becomes a literal prefix query: FTS5 syntax in the input is not syntax', () => {
    expect(toFtsQuery('refund order')).toBe('"refund"* "order"*');
    expect(toFtsQuery('"a" OR NEAR(b')).toBe('"a"* "OR"* "NEAR"* "b"*');
    expect(toFtsQuery('  ?!  ')).toBeUndefined();
  });
  it('cursors round-trip and a foreign cursor is recognised', () => {
    expect(decodeCursor(encodeCursor({ lastActivityAt: 5, id: 'c1' }))).toEqual({ lastActivityAt: 5, id: 'c1' });
    expect(decodeCursor('bm9wZQ')).toBeUndefined();
  });
});

describe('Landing Page rendering', () => {
  const settingsFor = (patch: Parameters<LiveTrainingSettingsStore['update']>[2]) => {
    const storage = new SqliteStorage({ file: ':memory:' });
    const store = new LiveTrainingSettingsStore(storage, loadDefaultSettings());
    return storage.transaction((tx) => store.update(tx, 'starter', patch));
  };

  it('escapes every setting: a hostile title or description is text, not markup', async () => {
    const html = renderLandingPage(
      'starter',
      await settingsFor({ landingPage: { title: '<script>alert(1)</script>', description: 'a & b <img src=x onerror=alert(1)>' } }),
    );
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('a &amp; b');
  });

  it('links only http(s) and Platform paths, never javascript:', async () => {
    const html = renderLandingPage(
      'starter',
      await settingsFor({ landingPage: { author: { name: 'Ada', email: '', website: 'https://ada.example', links: [{ label: 'Docs', url: '/docs' }] } } }),
    );
    expect(html).toContain('href="https://ada.example"');
    expect(html).toContain('href="/docs"');
    await expect(settingsFor({ landingPage: { imageUrl: 'javascript:alert(1)' } })).rejects.toThrow();
  });

  it('the media slot shows an image, or a video file with its controls (never autoplaying), as Pandorabots allows both', async () => {
    const image = renderLandingPage('starter', await settingsFor({ landingPage: { imageUrl: 'https://cdn.example/robot.png' } }));
    expect(image).toContain('<img class="media" src="https://cdn.example/robot.png" alt="">');
    expect(image).not.toContain('<video');
    for (const url of ['https://cdn.example/intro.mp4', 'https://cdn.example/intro.WEBM?v=2', '/media/clip.ogg']) {
      const html = renderLandingPage('starter', await settingsFor({ landingPage: { title: 'Ada & bot', imageUrl: url } }));
      expect(html).toMatch(/<video class="media" src="[^"]+" controls preload="metadata" playsinline aria-label="Video: Ada &amp; bot"><\/video>/);
      expect(html).not.toContain('autoplay');
      expect(html).not.toContain('<img class="media"');
    }
  });

  it('uses the bot’s name where the defaults leave the title empty, and the per-bot texts override the defaults', async () => {
    const storage = new SqliteStorage({ file: ':memory:' });
    const store = new LiveTrainingSettingsStore(storage, loadDefaultSettings());
    await store.load(['mybot', 'otherbot']);
    expect(store.get('mybot').appearance.title).toBe('mybot');
    const changed = await storage.transaction((tx) => store.update(tx, 'mybot', { pausedMessage: 'Hold on, a human is here.' }));
    expect(changed.pausedMessage).toBe('Hold on, a human is here.');
    expect(changed.reactivatedMessage).toBe(loadDefaultSettings().reactivatedMessage);
    expect(store.get('mybot').pausedMessage).toBe('Hold on, a human is here.');
    expect(store.get('otherbot').pausedMessage).toBe(loadDefaultSettings().pausedMessage);
  });
});

describe('channel assets', () => {
  it('serves widget.js as one script: the rich media renderer, then the chat', () => {
    const assets = loadChannelAssets();
    const widget = assets.get('widget.js')!.body.toString('utf8');
    const richMedia = readFileSync(resourcePath('channels', 'widget-rich-media.js'), 'utf8');
    const chat = readFileSync(resourcePath('channels', 'widget.js'), 'utf8');
    expect(widget).toBe(`${richMedia}\n${chat}\n`);
    expect(assets.get('widget.js')!.etag).not.toBe(assets.get('widget-rich-media.js')!.etag);
  });

  it('refuses to start without a part of the widget, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lts-assets-'));
    try {
      writeFileSync(join(dir, 'widget.js'), '/* chat */');
      expect(() => loadChannelAssets(dir)).toThrow(/lacks widget-rich-media\.js, part of widget\.js/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
