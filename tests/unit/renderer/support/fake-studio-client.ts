import type { StudioArgs, StudioEvent, StudioMethod, StudioResult } from '../../../../protocol/studio-api.js';
import type { StudioClient, TransportStatus } from '../../../../renderer/src/client/studio-client.js';

type Handler = (args: unknown) => unknown;

/**
 * The Studio API boundary for component tests: records every call, answers with the handlers a test gives (a
 * handler may throw or return a promise), and lets the test push events as main would.
 */
export class FakeStudioClient implements StudioClient {
  readonly calls: { method: StudioMethod; args: unknown }[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly eventListeners = new Set<(e: StudioEvent) => void>();
  private readonly transportListeners = new Set<(s: TransportStatus) => void>();
  private status: TransportStatus = { state: 'open' };

  answer<M extends StudioMethod>(method: M, handler: (args: StudioArgs<M>) => StudioResult<M> | Promise<StudioResult<M>>): this {
    this.handlers.set(method, handler as Handler);
    return this;
  }

  invoke<M extends StudioMethod>(method: M, args: StudioArgs<M>): Promise<StudioResult<M>> {
    this.calls.push({ method, args });
    const handler = this.handlers.get(method);
    if (!handler) return Promise.resolve({} as StudioResult<M>);
    try {
      return Promise.resolve(handler(args) as StudioResult<M>);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  callsOf(method: StudioMethod): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  onEvent(listener: (e: StudioEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  push(event: StudioEvent): void {
    for (const l of [...this.eventListeners]) l(event);
  }

  onTransport(listener: (s: TransportStatus) => void): () => void {
    this.transportListeners.add(listener);
    return () => this.transportListeners.delete(listener);
  }

  transportStatus(): TransportStatus {
    return this.status;
  }

  setTransport(status: TransportStatus): void {
    this.status = status;
    for (const l of [...this.transportListeners]) l(status);
  }
}
