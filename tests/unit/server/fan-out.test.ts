import { describe, expect, it } from 'vitest';
import { FanOut } from '../../../server/fan-out.js';

describe('FanOut', () => {
  it('gives every subscriber the news in subscription order, even after one throws', () => {
    const heard: string[] = [];
    const errors: string[] = [];
    const fanOut = new FanOut<[bot: string, change: string]>((error, bot) => errors.push(`${bot}: ${(error as Error).message}`));
    fanOut.subscribe((bot, change) => heard.push(`first ${bot} ${change}`));
    fanOut.subscribe(() => {
      throw new Error('broken subscriber');
    });
    fanOut.subscribe((bot, change) => heard.push(`third ${bot} ${change}`));
    fanOut.emit('starter', 'reloaded');
    expect(heard).toEqual(['first starter reloaded', 'third starter reloaded']);
    expect(errors).toEqual(['starter: broken subscriber']);
  });

  it('stops sending to a subscriber that unsubscribed, and to all after clear()', () => {
    const heard: number[] = [];
    const fanOut = new FanOut<[number]>(() => undefined);
    const unsubscribe = fanOut.subscribe((n) => heard.push(n));
    fanOut.subscribe((n) => heard.push(n * 10));
    fanOut.emit(1);
    unsubscribe();
    fanOut.emit(2);
    fanOut.clear();
    fanOut.emit(3);
    expect(heard).toEqual([1, 10, 20]);
  });
});
