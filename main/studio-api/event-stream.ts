import type { StudioEvent } from '../../protocol/studio-api.js';

/** Studio's one stream of pushed events; each transport subscribes and forwards to its renderer(s). */
export class StudioEventStream {
  private readonly listeners = new Set<(event: StudioEvent) => void>();

  subscribe(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StudioEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A transport that fails to deliver (a closed window, a dropped socket) must not stop the others.
      }
    }
  }
}
