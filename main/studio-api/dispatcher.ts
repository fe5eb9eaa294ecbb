import type { z } from 'zod';
import { isAppErrorOf, messageForPeople, StudioErrorCode } from '../../protocol/errors.js';
import type { Log } from '../log.js';
import { studioMethods, type StudioMethod, type StudioReply, type StudioResult } from '../../protocol/studio-api.js';

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
export function createDispatcher(handlers: StudioHandlers, logger?: Log): StudioDispatcher {
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
        // Refusals meant for the designer (Studio's own, and the Platform's passed through) keep their code; a code
        // outside the Studio API's closed set is refused here, so the renderer never sees an open string. Anything
        // else is a defect, reported as `internal`.
        if (isAppErrorOf(StudioErrorCode, error)) {
          return { ok: false, error: error.toWire() };
        }
        logger?.error({ err: error, method: m }, 'Studio API handler failed');
        return fail('internal', `Studio could not complete ${m}: ${messageForPeople(error)}`);
      }
    },
  };
}

function fail(code: StudioErrorCode, message: string): StudioReply {
  return { ok: false, error: { code, message } };
}
