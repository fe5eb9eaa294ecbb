import type { CaptureFailure, CaptureFailureEvent } from '../../protocol/capture-failures.js';
import type { Clock } from '../../protocol/clock.js';
import { AppError } from '../../protocol/errors.js';
import type { Log } from '../log.js';
import { describeCaptureError } from './capture-error-message.js';
import { botWorkspace } from './workspace-files.js';

/** One capture of one reply; re-runnable, since a retry must do exactly what the first attempt did. */
export interface CaptureAttempt {
  conversationId: string;
  seq: number;
  /** The workspace file, once known (for the message). */
  target: () => { bot?: string; workspaceDir: string };
  run: () => Promise<void>;
}

/**
 * Replies that reached the end user but did not become a category. A failed capture is kept here (with what it
 * takes to run it again), told to the renderer as `capture.failed`, and dropped with `capture.saved` once a retry
 * succeeds: the designer sees the failure where they replied and can try again.
 */
export class CaptureFailures {
  private readonly pending = new Map<string, { failure: CaptureFailure; attempt: CaptureAttempt }>();

  constructor(
    private readonly o: {
      clock: Clock;
      emit: (event: CaptureFailureEvent) => void;
      /** Studio's pino logger: the failure is logged with its error object (stack and cause kept). */
      logger?: Log;
    },
  ) {}

  /** Runs a capture; a failure is recorded and told, never thrown (the reply itself was delivered). */
  async run(attempt: CaptureAttempt): Promise<CaptureFailure | undefined> {
    const key = keyOf(attempt.conversationId, attempt.seq);
    try {
      await attempt.run();
    } catch (error) {
      const { bot, workspaceDir } = attempt.target();
      const file = bot ? safeFile(workspaceDir, bot) : undefined;
      const failure: CaptureFailure = {
        conversationId: attempt.conversationId,
        seq: attempt.seq,
        reason: describeCaptureError(error, file),
        at: this.o.clock.now(),
      };
      if (bot) failure.bot = bot;
      if (file) failure.file = file;
      this.pending.set(key, { failure, attempt });
      this.o.logger?.error({ err: error, conversationId: failure.conversationId, seq: failure.seq, file: failure.file }, 'capturing the reply into the workspace failed');
      this.o.emit({ type: 'capture.failed', failure });
      return failure;
    }
    if (this.pending.delete(key)) this.o.emit({ type: 'capture.saved', conversationId: attempt.conversationId, seq: attempt.seq });
    return undefined;
  }

  list(): CaptureFailure[] {
    return [...this.pending.values()].map((p) => p.failure).sort((a, b) => a.at - b.at);
  }

  async retry(conversationId: string, seq: number): Promise<{ saved: boolean; failure?: CaptureFailure }> {
    const pending = this.pending.get(keyOf(conversationId, seq));
    if (!pending) throw new AppError('not_found', 'There is no failed capture of that reply (it may have been saved already).');
    const failure = await this.run(pending.attempt);
    return failure ? { saved: false, failure } : { saved: true };
  }

  clear(): void {
    this.pending.clear();
  }
}

function keyOf(conversationId: string, seq: number): string {
  return `${conversationId}\n${seq}`;
}

function safeFile(workspaceDir: string, bot: string): string | undefined {
  try {
    return botWorkspace(workspaceDir, bot).aimlFile;
  } catch {
    return undefined;
  }
}
