import { AppError, StudioErrorCode } from '../../../protocol/errors.js';
import { StudioEvent, type StudioArgs, type StudioMethod, type StudioResult } from '../../../protocol/studio-api.js';
import { Listeners } from './listeners.js';
import type { StudioCallError, StudioClient, TransportStatus } from './studio-client.js';

/** What the Electron preload exposes as `window.studio` (preload/index.cts). */
export interface StudioBridge {
  invoke(method: string, args: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
}

/**
 * Electron IPC transport. IPC drops the fields of thrown errors, so main may answer with the same envelope as
 * the WebSocket transport (`{ ok, result | error }`); a bare result is accepted too. Events are validated here
 * as at every edge: a malformed one is reported and skipped, never allowed to corrupt the cache.
 */
export function bridgeClient(bridge: StudioBridge): StudioClient {
  const open: TransportStatus = { state: 'open' };
  return {
    async invoke<M extends StudioMethod>(method: M, args: StudioArgs<M>): Promise<StudioResult<M>> {
      let value: unknown;
      try {
        value = await bridge.invoke(method, args);
      } catch (error) {
        throw toCallError(error);
      }
      if (value !== null && typeof value === 'object' && 'ok' in value) {
        const envelope = value as { ok: unknown; result?: unknown; error?: unknown };
        if (envelope.ok === true && 'result' in envelope) return envelope.result as StudioResult<M>;
        if (envelope.ok === false) throw toCallError(envelope.error);
      }
      return value as StudioResult<M>;
    },
    onEvent(listener) {
      const listeners = new Listeners<StudioEvent>();
      const remove = listeners.add(listener);
      const unsubscribe = bridge.onEvent((raw) => {
        const parsed = StudioEvent.safeParse(raw);
        if (parsed.success) listeners.emit(parsed.data);
        else console.error('Studio sent an event this renderer does not understand; skipped it.', parsed.error.issues);
      });
      return () => {
        remove();
        unsubscribe();
      };
    },
    onTransport: () => () => undefined,
    transportStatus: () => open,
  };
}

function toCallError(error: unknown): StudioCallError {
  const known = AppError.fromWire(StudioErrorCode, error);
  if (known) return known;
  if (error instanceof Error) {
    // Electron wraps a rejection as "Error invoking remote method 'x': Error: <message>".
    const message = error.message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
    return new AppError('internal', message, { cause: error });
  }
  // A refusal whose code is outside the closed set: its words are kept, its code is not trusted.
  const said = typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : String(error);
  return new AppError('internal', said);
}
