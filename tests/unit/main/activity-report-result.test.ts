import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openConfSettings } from '../../../main/settings/conf-store.js';
import { Studio } from '../../../main/studio.js';
import { ManualClock } from '../../support/manual-clock.js';
import { FakeDesignerServer } from './support/fake-designer-server.js';
import { botInfo, summary } from './support/fixtures.js';

let dir: string;
let server: FakeDesignerServer | undefined;
let studio: Studio | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-activity-'));
});
afterEach(async () => {
  await studio?.close();
  await server?.stop();
  studio = server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const result = (r: { ok: boolean }) => (r as unknown as { result: unknown }).result;

describe("Studio's activity reports to the Platform", () => {
  it('tell the renderer when the last report to the Platform failed, and stop once one succeeds', async () => {
    server = await FakeDesignerServer.start();
    const clock = new ManualClock();
    const { settings } = openConfSettings(join(dir, 'settings'));
    studio = new Studio({ host: 'browser', settings, defaultWorkspaceDir: join(dir, 'ws'), clock });
    const s = studio;
    await s.dispatcher.invoke('platform.configure', { embedded: false, url: server.url, token: 'good-token' });
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome(server.last, [botInfo('starter', 0, { inactivityTimeoutMs: 60_000 })]);
    server.send({ type: 'snapshot', bot: 'starter', lastEventId: 0, conversations: [summary('c1', { state: 'paused', heldBy: { id: 'd1', name: 'Ada' } })] });
    await vi.waitFor(() => expect(s.state().activityDeadline).not.toBeNull());

    const activityRequests = () => server!.last.frames.filter((f) => f.type === 'request' && f.method === 'designer.activity') as { id: string }[];
    const answerLast = (ok: boolean) =>
      server!.send(ok ? { type: 'response', id: activityRequests().at(-1)!.id, ok: true, result: { holds: [] } } : { type: 'response', id: activityRequests().at(-1)!.id, ok: false, error: { code: 'internal', message: 'database is locked' } });

    clock.advance(6_000);
    expect(result(await s.dispatcher.invoke('activity.report', {}))).toEqual({});
    await vi.waitFor(() => expect(activityRequests()).toHaveLength(1));
    answerLast(false);
    await vi.waitFor(async () => expect(result(await s.dispatcher.invoke('activity.report', {}))).toEqual({ platformReportFailed: true }));

    clock.advance(6_000);
    await s.dispatcher.invoke('activity.report', {});
    await vi.waitFor(() => expect(activityRequests()).toHaveLength(2));
    answerLast(true);
    await vi.waitFor(async () => expect(result(await s.dispatcher.invoke('activity.report', {}))).toEqual({}));
  });
});
