import type { EventEnvelope } from '../../protocol/designer-wire.js';

export type EventListener = (envelope: EventEnvelope) => void;

/** Fans committed events out to the designer gateway and the chat channels, in commit order. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(envelope: EventEnvelope): void {
    for (const listener of this.listeners) {
      try {
        listener(envelope);
      } catch (error) {
        // One broken subscriber must not keep the event from the others; it reports its own failure.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
