/**
 * What a main-process component needs of the logger. pino's `Logger` satisfies it: main/launch-log.ts (or
 * electron/studio-log.ts) creates the one pino logger and Studio passes it down. A failure is logged as `{ err }`
 * (the error object itself, never `String(err)`), so pino's serializer keeps its stack and its `cause`.
 */
export interface Log {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}
