import { afterEach, describe, expect, it } from 'vitest';
import type { DesignerServerFrame } from '../../../protocol/designer-wire.js';
import { ManualClock } from '../../support/manual-clock.js';
import { DesignerClient } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;
type Response = Extract<DesignerServerFrame, { type: 'response' }>;

let t: TestPlatform | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('designer requests over the limit', () => {
  it('400 requests at once: every one is answered by id; the refused ones say rate_limited and when to retry', async () => {
    const clock = new ManualClock();
    t = await startTestPlatform({ clock });
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    const ids = Array.from({ length: 400 }, (_, i) => `burst-${i}`);
    const answers = await Promise.all(ids.map((id) => ada.rawRequest('bot.list', {}, id)));
    expect(answers.map((a) => a.id)).toEqual(ids);
    const refused = answers.filter((a) => !a.ok);
    expect(answers.filter((a) => a.ok)).toHaveLength(200);
    expect(refused).toHaveLength(200);
    for (const r of refused) expect(r.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number), details: { retryAfterMs: expect.any(Number) } });
    // Nothing was left as a bare error frame that no request would ever hear about.
    expect(ada.log.frames.filter((f) => f.type === 'error')).toHaveLength(0);

    // After the wait the Platform asked for, the same request (same id) goes through.
    const wait = refused[0]!.error!.retryAfterMs!;
    clock.advance(wait);
    const retried = await ada.rawRequest('bot.list', {}, refused[0]!.id);
    expect(retried).toMatchObject({ id: refused[0]!.id, ok: true });
    await ada.close();
  });

  it('a refused mutating request was not applied, so retrying it with the same id applies it once', async () => {
    const clock = new ManualClock();
    t = await startTestPlatform({ clock });
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    await Promise.all(Array.from({ length: 200 }, (_, i) => ada.rawRequest('bot.list', {}, `fill-${i}`)));
    const refused: Response = await ada.rawRequest('bot.updateSettings', { bot: 'starter', patch: { pausedMessage: 'A person is here now.' } }, 'settings-1');
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    clock.advance(refused.error!.retryAfterMs!);
    const applied = await ada.rawRequest('bot.updateSettings', { bot: 'starter', patch: { pausedMessage: 'A person is here now.' } }, 'settings-1');
    expect(applied).toMatchObject({ ok: true, result: { settings: { pausedMessage: 'A person is here now.' } } });
    await ada.close();
  });

  it('reconnecting does not refill a designer’s allowance', async () => {
    const clock = new ManualClock();
    t = await startTestPlatform({ clock });
    const first = await DesignerClient.connect(t.url, t.ada.token);
    await Promise.all(Array.from({ length: 200 }, (_, i) => first.rawRequest('bot.list', {}, `a-${i}`)));
    await first.close();
    const second = await DesignerClient.connect(t.url, t.ada.token);
    expect(await second.rawRequest('bot.list', {}, 'b-1')).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // Another designer is not held by Ada's allowance.
    const bob = await DesignerClient.connect(t.url, t.bob.token);
    expect(await bob.rawRequest('bot.list', {}, 'c-1')).toMatchObject({ ok: true });
    await second.close();
    await bob.close();
  });
});
