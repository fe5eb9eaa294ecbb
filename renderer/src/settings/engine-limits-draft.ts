import { ENGINE_LIMIT_FIELDS, type BotEngineLimits, type EngineLimitName } from '../../../protocol/bot-engine-limits.js';

/** The engine limits as the form holds them: the text of each number field. */
export type EngineLimitsDraft = Record<EngineLimitName, string>;

export const ENGINE_LIMIT_NAMES = Object.keys(ENGINE_LIMIT_FIELDS) as EngineLimitName[];

export function engineLimitsDraft(limits: BotEngineLimits): EngineLimitsDraft {
  return Object.fromEntries(ENGINE_LIMIT_NAMES.map((name) => [name, String(limits[name])])) as EngineLimitsDraft;
}

/**
 * Checks every field in its own words (a whole number in the limit's range) and gives the limits to send, whole,
 * when any changed: the Platform stores them together.
 */
export function engineLimitsPatch(original: BotEngineLimits, draft: EngineLimitsDraft): { problems: string[]; limits?: BotEngineLimits } {
  const problems: string[] = [];
  const limits = { ...original };
  for (const name of ENGINE_LIMIT_NAMES) {
    const { label, min, max } = ENGINE_LIMIT_FIELDS[name];
    const text = draft[name].trim().replace(/[\s,_]/g, '');
    const value = Number(text);
    if (text === '' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${label}: a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`);
    } else limits[name] = value;
  }
  if (problems.length > 0) return { problems };
  return ENGINE_LIMIT_NAMES.some((name) => limits[name] !== original[name]) ? { problems, limits } : { problems };
}
