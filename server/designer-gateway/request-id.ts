import { designerRequestIdMax } from '../../protocol/designer-wire.js';

/**
 * The id of a frame that looks like a request, even one that is otherwise invalid or refused, so the refusal can be
 * answered as that request's response (the client's promise settles) rather than as a bare error frame.
 */
export function requestIdOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const frame = json as { type?: unknown; id?: unknown };
  if (frame.type !== 'request' || typeof frame.id !== 'string') return undefined;
  if (frame.id.length === 0 || frame.id.length > designerRequestIdMax) return undefined;
  return frame.id;
}
