import { z } from 'zod';

/**
 * The AIML engine limits a bot's owner may change per bot (Live Training settings, applied to the running bot at
 * once). The ranges keep a bot answerable and the Platform responsive: a reply is bounded by steps first and wall
 * time last, and one client can never teach the bot without bound.
 */
export const ENGINE_LIMIT_FIELDS = {
  maxSraiDepth: { label: 'Srai depth', min: 1, max: 500, help: 'How deep <srai> may nest while answering one sentence.' },
  maxStepsPerReply: { label: 'Steps per reply', min: 1_000, max: 10_000_000, help: 'Work one reply may take: decides the same way on any machine.' },
  maxMillisPerReply: { label: 'Time per reply (ms)', min: 100, max: 30_000, help: 'Wall-clock limit of one reply: the last resort behind the step budget.' },
  maxLearnedPerClient: { label: 'Learned categories per client', min: 0, max: 1_000_000, help: 'How many categories one client may teach the bot with <learn>.' },
} as const;

export type EngineLimitName = keyof typeof ENGINE_LIMIT_FIELDS;

const limit = (name: EngineLimitName) => z.number().int().min(ENGINE_LIMIT_FIELDS[name].min).max(ENGINE_LIMIT_FIELDS[name].max);

export const BotEngineLimits = z.object({
  /** Deepest nesting of <srai> within one sentence. */
  maxSraiDepth: limit('maxSraiDepth'),
  /** Work budget of one reply (pattern-graph steps plus template elements): the deterministic limit. */
  maxStepsPerReply: limit('maxStepsPerReply'),
  /** Wall-clock budget of one reply in milliseconds: the last resort behind the step budget. */
  maxMillisPerReply: limit('maxMillisPerReply'),
  /** Categories one client may teach the bot with <learn>. */
  maxLearnedPerClient: limit('maxLearnedPerClient'),
});
export type BotEngineLimits = z.infer<typeof BotEngineLimits>;
