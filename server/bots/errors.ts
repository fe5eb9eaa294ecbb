import { AppError, isAppErrorOf, BotStoreErrorCode } from '../../protocol/errors.js';

/**
 * Refusals of the bot store and registry, as the one error model (protocol/errors.ts): one `AppError` with a
 * `BotStoreErrorCode`, the bot (and file) in details. The Pandorabots API turns each code into its HTTP status.
 */
export type BotStoreError<C extends BotStoreErrorCode = BotStoreErrorCode> = AppError<C>;

/** The bot does not exist, or cannot talk (never compiled). The Platform maps it to "no such bot". */
export function unknownBot(bot: string): BotStoreError<'unknown_bot'> {
  return new AppError('unknown_bot', `there is no bot named "${bot.slice(0, 80)}"`, { details: { bot: bot.slice(0, 80) } });
}

export function botExists(bot: string): BotStoreError<'bot_exists'> {
  return new AppError('bot_exists', `a bot named "${bot}" already exists`, { details: { bot } });
}

export function fileNotFound(bot: string, file: string): BotStoreError<'file_not_found'> {
  return new AppError('file_not_found', `bot "${bot}" has no file ${file}`, { details: { bot, file } });
}

/** Talk to a bot whose files changed since its last successful verify, without `recent`: Pandorabots' 412. */
export function botNotCompiled(bot: string): BotStoreError<'bot_not_compiled'> {
  return new AppError('bot_not_compiled', `bot "${bot}" has changes that are not compiled yet: verify it, or talk with recent=true to use the last compiled version`, {
    details: { bot },
  });
}

/** A file name the Platform refuses (path separators, `..`, upper case...): the message says what is wrong. */
export function badFileName(message: string): BotStoreError<'bad_file_name'> {
  return new AppError('bad_file_name', message);
}

/** A file whose content cannot be read as its kind (not JSON, wrong shape, too large, not UTF-8). */
export function badFileContent(message: string, cause?: unknown): BotStoreError<'bad_file_content'> {
  return new AppError('bad_file_content', message, cause !== undefined ? { cause } : {});
}

/** Whether `error` is the bot store's refusal with one of `codes`. */
export function isBotStoreError<C extends BotStoreErrorCode>(error: unknown, ...codes: C[]): error is BotStoreError<C> {
  return isAppErrorOf(BotStoreErrorCode, error) && (codes as BotStoreErrorCode[]).includes(error.code);
}
