import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ViewMemoryStore } from '../../../main/settings/view-memory.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function file(): string {
  dir = mkdtempSync(join(tmpdir(), 'view-memory-'));
  return join(dir, 'studio-memory.json');
}

describe('what Studio remembers between runs', () => {
  it('keeps the view, the open conversation, drafts and scroll for the next run', async () => {
    const path = file();
    const first = new ViewMemoryStore(path);
    await first.update({ view: 'inbox', conversationId: 'c1' });
    await first.update({ draft: { conversationId: 'c1', text: 'Half a thought' } });
    await first.update({ scroll: { conversationId: 'c1', fromBottom: 420.4 } });
    expect(new ViewMemoryStore(path).get()).toEqual({ view: 'inbox', conversationId: 'c1', drafts: { c1: 'Half a thought' }, scroll: { c1: 420 } });
  });

  it('forgets a draft that was sent or emptied, a scroll back at the newest, and a closed conversation', async () => {
    const path = file();
    const store = new ViewMemoryStore(path);
    await store.update({ conversationId: 'c1', draft: { conversationId: 'c1', text: 'x' }, scroll: { conversationId: 'c1', fromBottom: 300 } });
    await store.update({ conversationId: null, draft: { conversationId: 'c1', text: '  ' }, scroll: { conversationId: 'c1', fromBottom: 0 } });
    expect(new ViewMemoryStore(path).get()).toEqual({ drafts: {}, scroll: {} });
  });

  it('remembers the last activity report per Platform', async () => {
    const path = file();
    await new ViewMemoryStore(path).recordActivityReport('http://127.0.0.1:8080', 1234);
    const next = new ViewMemoryStore(path);
    expect(next.lastActivityReport('http://127.0.0.1:8080')).toBe(1234);
    expect(next.lastActivityReport('https://other.example')).toBeUndefined();
  });

  it('starts afresh from an unreadable file instead of refusing to start', () => {
    const path = file();
    writeFileSync(path, '{ not json');
    expect(new ViewMemoryStore(path).get()).toEqual({ drafts: {}, scroll: {} });
  });
});
