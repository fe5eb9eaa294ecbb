import type { Logger } from 'pino';
import type { Clock } from '../protocol/clock.js';
import type { ConversationSummary, Message } from '../protocol/conversation.js';
import type { StudioEvent } from '../protocol/studio-api.js';
import type { ConversationCache } from './conversation-cache.js';
import type { PlatformLink } from './platform-link/link.js';
import type { Settings } from './settings/settings.js';
import { AppError } from '../protocol/errors.js';
import type { ReplyCapturePort } from './studio-ports.js';
import { CaptureFailures } from './workspace/capture-failures.js';

export interface StudioCaptureOptions {
  capture?: ReplyCapturePort;
  clock: Clock;
  settings: Settings;
  cache: ConversationCache;
  workspaceDir: () => string;
  requireLink: () => PlatformLink;
  /** A conversation as the Platform has it, when Studio is connected. */
  fetchSummary: (conversationId: string) => Promise<ConversationSummary | undefined>;
  emit: (event: StudioEvent) => void;
  logger?: Logger;
}

/**
 * Hands each reply the designer sent to the workspace to be learned, beside the reply: a workspace problem never
 * fails the reply itself (it was delivered), but the designer is told next to the reply and can try again
 * (CaptureFailures, behind `capture.failures` and `capture.retry`).
 */
export class StudioCapture {
  readonly failures: CaptureFailures;

  constructor(private readonly o: StudioCaptureOptions) {
    this.failures = new CaptureFailures({
      clock: o.clock,
      emit: (event) => o.emit(event),
      logger: o.logger,
    });
  }

  /** The messages a reply stored (its own among them): the designer's is captured, in the background. */
  captureFrom(conversationId: string, messages: Message[]): void {
    const capture = this.o.capture;
    const human = messages.find((m) => m.author === 'human');
    if (!capture || !human) return;
    let bot: string | undefined;
    void this.failures.run({
      conversationId,
      seq: human.seq,
      target: () => ({ bot, workspaceDir: this.o.workspaceDir() }),
      run: async () => {
        bot = await this.botOf(conversationId);
        await capture.captureReply({
          bot,
          conversationId,
          message: human,
          captureThat: this.o.settings.get().captureThat,
          workspaceDir: this.o.workspaceDir(),
          messagesBefore: async (beforeSeq) =>
            (await this.o.requireLink().request('conversation.transcript', { conversationId, beforeSeq, limit: 50 })).messages.sort((a, b) => a.seq - b.seq),
        });
      },
    });
  }

  private async botOf(conversationId: string): Promise<string> {
    const known = this.o.cache.get(conversationId)?.bot;
    if (known) return known;
    const summary = await this.o.fetchSummary(conversationId);
    if (!summary) throw new AppError('not_found', `No conversation ${conversationId}.`);
    return summary.bot;
  }
}
