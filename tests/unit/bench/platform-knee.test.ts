import { describe, expect, it } from 'vitest';
import { findKnee, passes } from '../../../bench/platform-knee.js';

/** A Platform whose p99 user→designer is 10 ms up to `kneeAt` msg/s and 200 ms above; it carries every rate. */
function platformWithKneeAt(kneeAt: number) {
  const offered: number[] = [];
  const measure = async (rate: number) => {
    offered.push(rate);
    return { offered: rate, sustained: rate, designerP99: rate <= kneeAt ? 10 : 200 };
  };
  return { offered, measure };
}

describe('the knee search of bench:platform', () => {
  it('steps the rate up by the factor and reports the highest rate whose p99 stayed under 50 ms', async () => {
    const platform = platformWithKneeAt(1000);
    const { knee } = await findKnee({ startRate: 400, factor: 1.25, maxSteps: 12, measure: platform.measure });
    expect(platform.offered).toEqual([400, 500, 625, 781, 976, 1220, 1220]);
    expect(knee).toBe(976);
  });

  it('steps down from a first rate that already misses until one passes', async () => {
    const platform = platformWithKneeAt(300);
    const { knee, steps } = await findKnee({ startRate: 400, factor: 1.25, maxSteps: 12, measure: platform.measure });
    expect(platform.offered).toEqual([400, 400, 320, 320, 256]);
    expect(knee).toBe(256);
    expect(steps).toHaveLength(5);
  });

  it('stops after the most steps it may take', async () => {
    const platform = platformWithKneeAt(1e9);
    const { knee } = await findKnee({ startRate: 100, factor: 2, maxSteps: 3, measure: platform.measure });
    expect(platform.offered).toEqual([100, 200, 400]);
    expect(knee).toBe(400);
  });

  it('measures a missed rate once more, and goes on when the second measurement passes (a moment of load elsewhere)', async () => {
    const offered: number[] = [];
    let missedOnce = false;
    const measure = async (rate: number) => {
      offered.push(rate);
      const blip = rate === 500 && !missedOnce;
      if (blip) missedOnce = true;
      return { offered: rate, sustained: rate, designerP99: blip || rate > 700 ? 200 : 10 };
    };
    const { knee } = await findKnee({ startRate: 400, factor: 1.25, maxSteps: 12, measure });
    expect(offered).toEqual([400, 500, 500, 625, 781, 781]);
    expect(knee).toBe(625);
  });

  it('does not count a rate the closed loop did not carry, however low its latency', () => {
    expect(passes({ offered: 1000, sustained: 700, designerP99: 5 })).toBe(false);
    expect(passes({ offered: 1000, sustained: 990, designerP99: 5 })).toBe(true);
    expect(passes({ offered: 1000, sustained: 1000, designerP99: 50 })).toBe(false);
  });

  it('does not count a step in which no designer received anything', () => {
    expect(passes({ offered: 100, sustained: 100, designerP99: NaN })).toBe(false);
  });
});
