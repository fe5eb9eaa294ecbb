import type { z } from 'zod';
import { studioMethods, type StudioMethod, type StudioReply, type StudioResult } from '../../protocol/studio-api.js';
import { LinkRequestError } from '../platform-link/link-error.js';

/** A refusal a handler means to show the designer, with a code the renderer can act on. */
export class StudioApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'StudioApiError';
  }
}

export type StudioArgsParsed<M extends StudioMethod> = z.output<(typeof studioMethods)[M]['args']>;

/** One handler per Studio API method, receiving arguments already validated by the method's schema. */
export type StudioHandlers = {
  [M in StudioMethod]: (args: StudioArgsParsed<M>) => Promise<StudioResult<M>> | StudioResult<M>;
};

export interface StudioDispatcher {
  /** Never throws: every outcome, including unknown methods and bad arguments, is a `StudioReply`. */
  invoke(method: unknown, args: unknown): Promise<StudioReply>;
}

/**
 * The one entry point of the Studio API, behind both transports (Electron IPC and the browser-mode WebSocket).
 * Only methods listed in `studioMethods` exist (an own-property check, so `constructor` or `__proto__` are not
 * methods), arguments are validated before any service sees them, and errors come back as `{code, message}`.
 */
export function createDispatcher(handlers: StudioHandlers, onInternalError?: (method: string, error: unknown) => void): StudioDispatcher {
  return {
    async invoke(method, args) {
      if (typeof method !== 'string' || !Object.hasOwn(studioMethods, method)) {
        return fail('unknown_method', `Studio has no method ${JSON.stringify(String(method)).slice(0, 120)}.`);
      }
      const m = method as StudioMethod;
      const parsed = studioMethods[m].args.safeParse(args ?? {});
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
        return fail('invalid_params', `Invalid arguments for ${m}: ${why}`);
      }
      try {
        const handler = handlers[m] as (a: unknown) => Promise<unknown> | unknown;
        return { ok: true, result: await handler(parsed.data) };
      } catch (error) {
        // Refusals meant for the designer (Studio's own, and the Platform's passed through) keep their code;
        // anything else is a defect, reported as `internal`.
        if (error instanceof StudioApiError || error instanceof LinkRequestError) {
          return { ok: false, error: { code: error.code, message: error.message, ...(isRecord(error.details) ? { details: error.details } : {}) } };
        }
        onInternalError?.(m, error);
        return fail('internal', `Studio could not complete ${m}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

function fail(code: string, message: string): StudioReply {
  return { ok: false, error: { code, message } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
