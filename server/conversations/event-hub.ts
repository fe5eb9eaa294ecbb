import type { EventEnvelope } from '../../protocol/designer-wire.js';
import { FanOut } from '../fan-out.js';

export type EventListener = (envelope: EventEnvelope) => void;

/** Fans committed events out to the designer gateway and the chat channels, in commit order. */
export class EventHub {
  // A broken subscriber reports its own failure (rethrown outside the loop), the others still get the event.
  private readonly fanOut = new FanOut<[EventEnvelope]>((error) =>
    queueMicrotask(() => {
      throw error;
    }),
  );

  subscribe(listener: EventListener): () => void {
    return this.fanOut.subscribe(listener);
  }

  publish(envelope: EventEnvelope): void {
    this.fanOut.emit(envelope);
  }
}
