import type { Logger } from 'pino';
import { compileBot, type Bot } from '../../aiml/index.js';
import { escapeXmlText } from '../../aiml/xml.js';
import type { Message } from '../../protocol/conversation.js';
import type { ReplyCapturePort } from '../studio-ports.js';
import type { BotWorkspace, BotWorkspaces } from './bot-workspaces.js';
import { categoryKey, type CategorySource } from './learned-category.js';
import { decideCategory } from './reply-decision.js';
import type { TrainingHost } from './training-host.js';
import type { WorkspaceChanges } from './workspace-changes.js';
import type { WorkspacePublishing } from './workspace-publishing.js';

export type CaptureRequest = Parameters<ReplyCapturePort['captureReply']>[0];

export interface ReplyCapturerOptions {
  host: () => TrainingHost | undefined;
  bots: BotWorkspaces;
  changes: WorkspaceChanges;
  publishing: WorkspacePublishing;
  logger?: Logger;
}

/**
 * Turns one designer reply into a learned category (issue 6): which user input it answers (reply-decision.ts),
 * normalised with the bot's own substitutions when its files are known, merged with earlier replies to the same
 * input, recorded with where it came from; then auto-published when the bot asks for it.
 */
export class ReplyCapturer {
  private readonly fallback: Bot = compileBot({}).bot;

  constructor(private readonly o: ReplyCapturerOptions) {}

  async capture({ bot, conversationId, message, captureThat, workspaceDir, messagesBefore }: CaptureRequest): Promise<void> {
    if (message.author !== 'human') return; // only designer replies teach the bot
    const state = this.o.bots.get(bot, workspaceDir);
    const before = await messagesBefore(message.seq);
    const decision = decideCategory(before, await this.normalizer(state), captureThat);
    if (!decision.capture) {
      this.o.logger?.info({ conversationId, seq: message.seq }, `reply not captured: ${decision.reason}`);
      return;
    }
    // Text content needs only & < > escaped; quotes stay readable in the file.
    const text = escapeXmlText(message.text.trim());
    const input = before.find((m) => m.seq === decision.inputSeq)?.text;
    const answered = botAnswerAfter(before, decision.inputSeq);
    const clientName = this.o.host()?.conversationName(conversationId);
    const { after } = await state.store.update((categories) => {
      const key = categoryKey(decision);
      const existing = categories.get(key);
      const sameInput = existing?.source?.conversationId === conversationId && existing.source.inputSeq === decision.inputSeq;
      if (sameInput && existing.source!.replySeqs.includes(message.seq)) return; // captured already
      if (sameInput) {
        categories.set(key, {
          ...existing,
          template: `${existing.template} ${text}`,
          source: { ...existing.source!, replySeqs: [...existing.source!.replySeqs, message.seq], capturedAt: message.at },
        });
        return;
      }
      const source: CategorySource = { conversationId, inputSeq: decision.inputSeq, replySeqs: [message.seq], capturedAt: message.at };
      if (input !== undefined) source.input = input;
      if (clientName !== undefined) source.clientName = clientName;
      if (answered) source.before = answered;
      categories.set(key, { pattern: decision.pattern, that: decision.that, topic: decision.topic, template: text, source, state: 'new' });
    });
    this.o.changes.changed(state, after);
    await this.o.publishing.afterCapture(state);
  }

  private async normalizer(state: BotWorkspace): Promise<Bot> {
    try {
      const other = await state.botFiles.files();
      return other.real ? state.models.baseBot(other) : this.fallback;
    } catch (error) {
      this.o.logger?.warn({ err: error, bot: state.bot }, "could not read the bot's files; capturing with the default normalisation");
      return this.fallback;
    }
  }
}

/** The bot's answer to the user's input, when it answered before the designer did (what the input matched then). */
function botAnswerAfter(before: Message[], inputSeq: number): CategorySource['before'] | undefined {
  const reply = before.find((m) => m.seq > inputSeq && m.author === 'bot' && m.match && m.match.length > 0);
  const m = reply?.match?.at(-1);
  if (!m) return undefined;
  return { pattern: m.pattern, that: m.that, topic: m.topic, file: m.file.slice(m.file.lastIndexOf('/') + 1), defaultCategory: m.defaultCategory };
}
