/**
 * compileBotInSlices: compileBot that shares the thread. A Platform compiles a bot (verify, reload, start)
 * on the same event loop that answers every conversation; compiling ALICE in one go holds that loop for
 * about a second. Here the compile runs a few milliseconds at a time and gives the event loop a turn
 * between slices, so timers, sockets and other bots' replies carry on while it works.
 *
 * The result is exactly compileBot's: the same step generator (compileBotSteps) does the work.
 */
import { compileBotSteps, type CompileResult } from './compile.js';
import type { BotFiles, CompileOptions } from './types.js';

export interface SliceOptions {
  /** Longest stretch of compiling between two turns of the event loop, in milliseconds. Default 4. */
  sliceMs?: number;
  /** Clock for the slices (milliseconds); default performance.now. */
  now?: () => number;
  /** Hands the event loop a turn; default setImmediate, which lets timers and I/O run first. */
  yieldToEventLoop?: () => Promise<void>;
}

export const DEFAULT_SLICE_MS = 4;

function defaultYield(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function compileBotInSlices(files: BotFiles, options: CompileOptions & SliceOptions = {}): Promise<CompileResult> {
  const { sliceMs = DEFAULT_SLICE_MS, now = () => performance.now(), yieldToEventLoop = defaultYield, ...compileOptions } = options;
  let deadline = now() + sliceMs;
  const pause = (): boolean => now() >= deadline;
  const steps = compileBotSteps(files, compileOptions, pause);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
    deadline = now() + sliceMs;
  }
}
