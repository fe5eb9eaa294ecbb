import type { ViewMemoryStore } from '../../settings/view-memory.js';
import type { StudioHandlers } from '../dispatcher.js';

/** The Studio API's view memory: what the renderer restores after a restart (open conversation, drafts, scroll). */
export function memoryHandlers(memory: ViewMemoryStore): Pick<StudioHandlers, 'memory.get' | 'memory.update'> {
  return {
    'memory.get': () => memory.get(),
    'memory.update': async (patch) => {
      await memory.update(patch);
      return {};
    },
  };
}
