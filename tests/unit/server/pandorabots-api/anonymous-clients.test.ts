import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnonymousClients } from '../../../../server/pandorabots-api/anonymous-clients.js';
import { TalkCallMeter } from '../../../../server/pandorabots-api/plan-limits.js';
import { ManualClock } from '../../../support/manual-clock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anon-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('anonymous atalk clients', () => {
  it('are named aiaas-<app_id>-user-nnnn from 0000, and numbering survives a restart', () => {
    const clients = new AnonymousClients(dir, 'unABC123');
    expect(clients.create()).toBe('aiaas-unabc123-user-0000');
    expect(clients.create()).toBe('aiaas-unabc123-user-0001');
    const again = new AnonymousClients(dir, 'unABC123');
    expect(again.create()).toBe('aiaas-unabc123-user-0002');
    expect(again.count).toBe(3);
  });

  it('knows only the names it created', () => {
    const clients = new AnonymousClients(dir, 'app');
    const name = clients.create();
    expect(clients.isKnown(name)).toBe(true);
    expect(clients.isKnown('aiaas-app-user-0001')).toBe(false);
    expect(clients.isKnown('aiaas-app-user-00000')).toBe(false);
    expect(clients.isKnown('aiaas-other-user-0000')).toBe(false);
    expect(clients.isKnown('someone')).toBe(false);
  });
});

describe('talk call meter', () => {
  it('allows the plan calls per minute, then refuses until the next minute', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
    const meter = new TalkCallMeter(clock, 3);
    expect([meter.take(), meter.take(), meter.take(), meter.take()]).toEqual([true, true, true, false]);
    clock.advance(30_000);
    expect(meter.take()).toBe(false);
    expect(meter.retryAfterSeconds()).toBe(30);
    clock.advance(30_000);
    expect(meter.take()).toBe(true);
  });
});
