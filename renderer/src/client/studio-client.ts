import { messageForPeople, type AppError, type ClientErrorCode } from '../../../protocol/errors.js';
import type { StudioArgs, StudioEvent, StudioMethod, StudioResult } from '../../../protocol/studio-api.js';

/**
 * How the renderer reaches Studio's main-process services. Two transports implement it: the Electron preload
 * bridge (`window.studio`) and, in browser mode, a reconnecting WebSocket to the loopback host. Everything above
 * this interface is the same in both.
 */
export interface StudioClient {
  invoke<M extends StudioMethod>(method: M, args: StudioArgs<M>): Promise<StudioResult<M>>;
  /** Pushed events from main. Returns the unsubscribe function. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
  /** The renderer's own link to main: always up over IPC, may drop in browser mode (the host stopped). */
  onTransport(listener: (status: TransportStatus) => void): () => void;
  transportStatus(): TransportStatus;
}

export type TransportStatus =
  | { state: 'open' }
  | { state: 'connecting' }
  /** Lost the host; the next attempt is at `retryAt` (ms epoch). */
  | { state: 'reconnecting'; retryAt: number };

/**
 * A call main refused or could not complete: the one error model (protocol/errors.ts), with the stable code main
 * gave (`held_by_other`, `invalid_params`, ...) or the renderer's own `disconnected` (its host is out of reach).
 */
export type StudioCallError = AppError<ClientErrorCode>;

/** Words for any failure of a call, for the place in the UI that made it. */
export function describeError(error: unknown): string {
  return messageForPeople(error);
}
