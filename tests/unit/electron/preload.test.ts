import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';

/**
 * Runs the real preload source as Electron would (CommonJS, `require('electron')` the only module) against a
 * fake contextBridge and ipcRenderer, and checks what the page gets.
 */
function loadPreload() {
  const source = readFileSync(join(import.meta.dirname, '../../../preload/index.cts'), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  const ipcRenderer = {
    invoke: vi.fn(async (...args: unknown[]) => ({ ok: true, result: args })),
    on: vi.fn((channel: string, l: (...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    }),
    removeListener: vi.fn((channel: string, l: (...a: unknown[]) => void) => listeners.get(channel)?.delete(l)),
  };
  const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) }, ipcRenderer };
  const required: string[] = [];
  const module = { exports: {} };
  runInNewContext(js, {
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
    module,
    exports: module.exports,
    TypeError,
    Promise,
  });
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: 'secret ipc object' }, payload));
  return { exposed, ipcRenderer, required, emit, listeners };
}

describe('preload bridge', () => {
  it('exposes window.studio with exactly invoke and onEvent, requiring nothing but electron', () => {
    const { exposed, required } = loadPreload();
    expect(Object.keys(exposed)).toEqual(['studio']);
    expect(Object.keys(exposed.studio as object).sort()).toEqual(['invoke', 'onEvent']);
    expect(required).toEqual(['electron']);
  });

  it('forwards a call on the invoke channel and returns the reply envelope', async () => {
    const { exposed, ipcRenderer } = loadPreload();
    const studio = exposed.studio as { invoke(m: unknown, a?: unknown): Promise<unknown> };
    await expect(studio.invoke('app.state', {})).resolves.toEqual({ ok: true, result: ['studio:invoke', 'app.state', {}] });
    await expect(studio.invoke(42)).rejects.toThrow('method must be a string');
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(1);
  });

  it('hands the page only the event payload, never the IPC event, and unsubscribes', () => {
    const { exposed, emit, listeners } = loadPreload();
    const studio = exposed.studio as { onEvent(l: (e: unknown) => void): () => void };
    const seen: unknown[][] = [];
    const off = studio.onEvent((...args) => seen.push(args));
    emit('studio:event', { type: 'badge', count: 2 });
    expect(seen).toEqual([[{ type: 'badge', count: 2 }]]);
    off();
    emit('studio:event', { type: 'badge', count: 3 });
    expect(seen).toHaveLength(1);
    expect(listeners.get('studio:event')!.size).toBe(0);
  });
});
