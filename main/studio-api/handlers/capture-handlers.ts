import type { CaptureFailures } from '../../workspace/capture-failures.js';
import type { StudioHandlers } from '../dispatcher.js';

/** The Studio API's replies that could not be captured into the workspace: the list, and trying one again. */
export function captureHandlers(failures: CaptureFailures): Pick<StudioHandlers, 'capture.failures' | 'capture.retry'> {
  return {
    'capture.failures': () => ({ failures: failures.list() }),
    'capture.retry': ({ conversationId, seq }) => failures.retry(conversationId, seq),
  };
}
