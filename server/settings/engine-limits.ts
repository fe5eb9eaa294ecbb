import { DEFAULT_LIMITS, type EngineLimits } from '../../aiml/index.js';
import type { BotEngineLimits } from '../../protocol/bot-engine-limits.js';
import type { LiveTrainingSettings } from '../../protocol/bot-settings.js';

/**
 * A bot's engine limits start as the engine's own defaults (not stored: a bot that never changed them follows the
 * defaults of the running version), and the bot's settings override them.
 */
export function defaultBotEngineLimits(): BotEngineLimits {
  const { maxSraiDepth, maxStepsPerReply, maxMillisPerReply, maxLearnedPerClient } = DEFAULT_LIMITS;
  return { maxSraiDepth, maxStepsPerReply, maxMillisPerReply, maxLearnedPerClient };
}

/** The limits to answer with, read for every reply: a saved change applies to the next reply, without a restart. */
export function engineLimitsOf(settings: LiveTrainingSettings): Partial<EngineLimits> | undefined {
  return settings.engineLimits;
}
