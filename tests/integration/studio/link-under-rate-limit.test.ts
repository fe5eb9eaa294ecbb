import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlatformLink } from '../../../main/platform-link/link.js';
import { ManualClock } from '../../support/manual-clock.js';
import { startTestPlatform } from '../server/support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

let t: TestPlatform | undefined;
let link: PlatformLink | undefined;
afterEach(async () => {
  link?.close();
  link = undefined;
  await t?.close();
  t = undefined;
});

describe('Studio’s link against the real Platform’s designer limit', () => {
  it('400 requests at once: the refused half is retried after the Platform’s retry-after and every request settles', async () => {
    // One clock for both: the Platform's allowance refills only when the test moves time.
    const clock = new ManualClock();
    t = await startTestPlatform({ clock });
    const retries: number[] = [];
    let n = 0;
    link = new PlatformLink({
      url: t.url,
      token: t.ada.token,
      clock,
      random: () => 0.5,
      newId: () => `studio-${++n}`,
      heartbeatMs: 10_000_000,
      logger: {
        warn: (details: Record<string, unknown>, message: string) => {
          if (message.includes('retry a request later')) retries.push(details['retryAfterMs'] as number);
        },
        error: () => undefined,
        info: () => undefined,
      },
    });
    link.start();
    await vi.waitFor(() => expect(link!.current.status).toBe('online'));

    const outcomes: Array<'ok' | string> = new Array(400).fill('pending');
    const all = Array.from({ length: 400 }, (_, i) =>
      link!.request('bot.list', {}).then(
        () => (outcomes[i] = 'ok'),
        (e: { code: string }) => (outcomes[i] = e.code),
      ),
    );
    // The Platform answers every request, half of them with a refusal that the link schedules for later.
    await vi.waitFor(() => expect(outcomes.filter((o) => o === 'ok').length + retries.length).toBe(400), { timeout: 15_000 });
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(200);
    expect(retries).toHaveLength(200);
    expect(outcomes.filter((o) => o !== 'ok' && o !== 'pending')).toEqual([]);
    expect(Math.max(...retries)).toBeGreaterThan(0);

    // Time passes: the retries go out and now fit in the refilled allowance.
    clock.advance(Math.max(...retries) + 2_000);
    await Promise.all(all);
    expect(outcomes.every((o) => o === 'ok')).toBe(true);
  });
});
