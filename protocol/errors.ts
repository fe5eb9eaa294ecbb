import { z } from 'zod';
import { DesignerErrorCode } from './designer-wire.js';

/**
 * The one error model of Platform, Studio's main process and the renderer: a closed set of stable codes (code
 * acts on them, so they never change meaning), a message for people, optional details, and the `cause` kept (ES2022)
 * so logs show the whole chain. Shared by every layer, so it imports no Node module.
 *
 * Wire shapes are unchanged: an `AppError` goes over a boundary as `{ code, message, details? }` (`toWire`), and
 * comes back with `fromWire`, which refuses codes outside the set it is given.
 */

/** Codes of Studio's link to the Platform, besides the Platform's own (`DesignerErrorCode`). */
export const LinkErrorCode = z.enum([
  'offline', // gave up waiting for a connection
  'timeout', // connected, but no answer before the request's deadline
  'unauthorized', // the Platform refused the designer token
  'closed', // Studio is shutting the link down or switching Platform
  'bad_response', // the answer does not fit the contract
  'queue_full', // too many requests waiting for the Platform
]);
export type LinkErrorCode = z.infer<typeof LinkErrorCode>;

/** Codes of the Platform's Pandorabots API as Studio's workspace meets them (publish, pull). */
export const PlatformApiErrorCode = z.enum([
  'platform_unreachable',
  'platform_unauthorized', // app id or user key refused (401)
  'platform_no_bot', // no such bot or file (404, 412)
  'platform_refused', // any other refusal
  'platform_bad_reply', // not JSON, or not the expected shape
]);
export type PlatformApiErrorCode = z.infer<typeof PlatformApiErrorCode>;

/** Refusals by Studio's own services. */
export const StudioServiceErrorCode = z.enum([
  'unconfigured', // no Platform chosen yet, or Studio is shutting down
  'unavailable', // this Studio has no such service (no AIML workspace)
  'invalid_category', // details.diagnostics
  'duplicate_category',
  'credentials_missing', // publishing needs the app id and user key
  'forbidden', // Electron: the call came from a page that may not use the Studio API
]);
export type StudioServiceErrorCode = z.infer<typeof StudioServiceErrorCode>;

/** Every code a Studio API call may fail with, as the renderer receives it. */
export const StudioErrorCode = z.enum([...DesignerErrorCode.options, ...LinkErrorCode.options, ...PlatformApiErrorCode.options, ...StudioServiceErrorCode.options]);
export type StudioErrorCode = z.infer<typeof StudioErrorCode>;

/** The renderer's own: its transport to main is down (browser mode). Never on a wire. */
export const ClientErrorCode = z.enum([...StudioErrorCode.options, 'disconnected']);
export type ClientErrorCode = z.infer<typeof ClientErrorCode>;

/** Refusals of the Platform's bot store; the Pandorabots API maps each to its HTTP status. */
export const BotStoreErrorCode = z.enum([
  'unknown_bot', // no such bot, or it cannot talk (never compiled)
  'bot_exists',
  'file_not_found',
  'bot_not_compiled', // files changed since the last verify, talk without `recent`
  'bad_file_name',
  'bad_file_content',
]);
export type BotStoreErrorCode = z.infer<typeof BotStoreErrorCode>;

/** Refusals by the Platform's conversation rules: nothing was changed. The gateways turn each into their wire's code. */
export const RuleErrorCode = z.enum([
  'not_found',
  'held_by_other', // details.holder: DesignerRef
  'read_only', // API conversations cannot be taken over
  'conversation_full', // LIMITS.conversationMessages reached
  'invalid', // a field or cursor is wrong (the message says which)
]);
export type RuleErrorCode = z.infer<typeof RuleErrorCode>;

/** Refusals of the Platform's storage: nothing was stored. */
export const StorageErrorCode = z.enum([
  'database_unreachable', // PostgreSQL cannot be reached right now; the instance retries by itself
]);
export type StorageErrorCode = z.infer<typeof StorageErrorCode>;

/** Every stable code there is (each listed once; the sets above overlap where a code means the same thing). */
export const ErrorCode = z.enum([...ClientErrorCode.options, ...BotStoreErrorCode.options, ...StorageErrorCode.options, 'conversation_full', 'invalid']);
export type ErrorCode = z.infer<typeof ErrorCode>;

export type ErrorDetails = Record<string, unknown>;

export interface AppErrorOptions {
  details?: ErrorDetails;
  /** What went wrong underneath (a socket error, a file system error): kept for the log, never shown as is. */
  cause?: unknown;
}

/** An error as it crosses a boundary (the Studio API reply, the designer wire's error frame). */
export interface WireError<C extends ErrorCode = ErrorCode> {
  code: C;
  message: string;
  details?: ErrorDetails;
}

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'AppError';
  readonly code: C;
  readonly details?: ErrorDetails;

  /** `message` is for people: say what happened and what to do, in the words of the place that shows it. */
  constructor(code: C, message: string, options: AppErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }

  /** The wire shape: code, message and details only (never the cause or the stack). */
  toWire(): WireError<C> {
    return { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) };
  }

  /**
   * Read an error off a wire, refusing a code outside `codes`: a payload that is not a known error becomes
   * `undefined`, so the boundary decides what an unknown failure means instead of passing an open string on.
   */
  static fromWire<C extends ErrorCode>(codes: z.ZodType<C>, raw: unknown): AppError<C> | undefined {
    const parsed = z.object({ code: codes, message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).safeParse(raw);
    if (!parsed.success) return undefined;
    const { code, message, details } = parsed.data as WireError<C>;
    return new AppError(code, message, details !== undefined ? { details } : {});
  }
}

/** Whether `error` is an `AppError` with one of `codes` (for narrowing at a boundary that serves one set). */
export function isAppErrorOf<C extends ErrorCode>(codes: z.ZodType<C>, error: unknown): error is AppError<C> {
  return error instanceof AppError && codes.safeParse(error.code).success;
}

/** The message for people of any failure: an AppError or Error says its own (never its stack); anything else is shown as text. */
export function messageForPeople(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
