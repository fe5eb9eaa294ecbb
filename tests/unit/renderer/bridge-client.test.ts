import { describe, expect, it, vi } from 'vitest';
import type { StudioEvent } from '../../../protocol/studio-api.js';
import { bridgeClient, type StudioBridge } from '../../../renderer/src/client/bridge-client.js';
import { AppError } from '../../../protocol/errors.js';

function bridge(answer: (method: string, args: unknown) => Promise<unknown>) {
  let push: (e: unknown) => void = () => undefined;
  const b: StudioBridge = {
    invoke: answer,
    onEvent: (listener) => {
      push = listener;
      return () => (push = () => undefined);
    },
  };
  return { b, push: (e: unknown) => push(e) };
}

describe('Electron bridge transport', () => {
  it('unwraps the { ok, result } envelope main answers with over IPC', async () => {
    const { b } = bridge(async () => ({ ok: true, result: { changed: true } }));
    await expect(bridgeClient(b).invoke('conversation.setBotActive', { conversationId: 'c', active: false })).resolves.toEqual({ changed: true });
  });

  it('turns { ok: false, error } into an error with the code and words main gave', async () => {
    const { b } = bridge(async () => ({ ok: false, error: { code: 'held_by_other', message: 'Ana is answering this conversation.' } }));
    const error = await bridgeClient(b).invoke('conversation.reply', { conversationId: 'c', text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'held_by_other', message: 'Ana is answering this conversation.' });
  });

  it('strips Electron wording from a rejected call', async () => {
    const { b } = bridge(async () => {
      throw new Error("Error invoking remote method 'studio:invoke': Error: the window is closing");
    });
    await expect(bridgeClient(b).invoke('app.state', {})).rejects.toMatchObject({ code: 'internal', message: 'the window is closing' });
  });

  it('passes valid events on and skips malformed ones', () => {
    const { b, push } = bridge(async () => ({}));
    const seen: StudioEvent[] = [];
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const off = bridgeClient(b).onEvent((e) => seen.push(e));
    push({ type: 'badge', count: 'many' });
    push({ type: 'badge', count: 2 });
    off();
    push({ type: 'badge', count: 3 });
    expect(seen).toEqual([{ type: 'badge', count: 2 }]);
  });
});
