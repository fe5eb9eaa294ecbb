import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { escapeTemplateText } from '../../aiml/category-writer.js';
import { compileBot, loadBotDirectory } from '../../aiml/index.js';
import type { ReplyCapturePort } from '../studio.js';
import { categoryKey } from './learned-category.js';
import { LiveTrainingStore } from './live-training-store.js';
import { decideCategory, type InputNormalizer } from './reply-decision.js';
import { botWorkspace } from './workspace-files.js';

export interface ReplyCaptureOptions {
  logger?: Logger;
  /**
   * Where a bot's files are on this machine, when they are (the embedded Platform's bots): captured patterns then
   * use the bot's own substitutions. Otherwise the engine's default normalisation is used.
   */
  botDirectory?: (bot: string) => string | undefined;
  now?: () => number;
}

/** How long a bot's loaded normaliser is reused before its files are read again (they change on publish). */
const NORMALIZER_TTL_MS = 30_000;

/**
 * Turns each designer reply into a category of `<workspace>/<bot>/pand_livetraining.aiml`: the same input,
 * `<that>` and topic again replaces the old template; more replies to the same user message extend it; a retried
 * reply is captured once.
 */
export function createReplyCapture(o: ReplyCaptureOptions = {}): ReplyCapturePort {
  const stores = new Map<string, LiveTrainingStore>();
  const normalizers = new Map<string, { at: number; normalizer: Promise<InputNormalizer> }>();
  const fallback: InputNormalizer = compileBot({}).bot;
  const now = o.now ?? Date.now;

  function normalizerFor(bot: string): Promise<InputNormalizer> {
    const dir = o.botDirectory?.(bot);
    if (!dir || !existsSync(dir)) return Promise.resolve(fallback);
    const cached = normalizers.get(bot);
    if (cached && now() - cached.at < NORMALIZER_TTL_MS) return cached.normalizer;
    const normalizer = loadBotDirectory(dir, { botName: bot }).then(
      (r) => r.bot as InputNormalizer,
      (error: unknown) => {
        o.logger?.warn({ err: error, bot }, "could not read the bot's files; capturing with the default normalisation");
        return fallback;
      },
    );
    normalizers.set(bot, { at: now(), normalizer });
    return normalizer;
  }

  function storeFor(workspaceDir: string, bot: string): LiveTrainingStore {
    const files = botWorkspace(workspaceDir, bot);
    let store = stores.get(files.aimlFile);
    if (!store) {
      store = new LiveTrainingStore({ bot, ...files, logger: o.logger, now });
      stores.set(files.aimlFile, store);
    }
    return store;
  }

  return {
    async captureReply({ bot, conversationId, message, captureThat, workspaceDir, messagesBefore }) {
      if (message.author !== 'human') return; // only designer replies teach the bot
      const before = await messagesBefore(message.seq);
      const decision = decideCategory(before, await normalizerFor(bot), captureThat);
      if (!decision.capture) {
        o.logger?.info({ conversationId, seq: message.seq }, `reply not captured: ${decision.reason}`);
        return;
      }
      const text = escapeTemplateText(message.text.trim());
      await storeFor(workspaceDir, bot).update((categories) => {
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
        categories.set(key, {
          pattern: decision.pattern,
          that: decision.that,
          topic: decision.topic,
          template: text,
          source: { conversationId, inputSeq: decision.inputSeq, replySeqs: [message.seq], capturedAt: message.at },
        });
      });
    },
  };
}
