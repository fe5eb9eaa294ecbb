/** The bot does not exist, or cannot talk (never compiled). The Platform maps it to "no such bot". */
export class UnknownBotError extends Error {
  override readonly name = 'UnknownBotError';
  constructor(readonly bot: string) {
    super(`there is no bot named "${bot.slice(0, 80)}"`);
  }
}

export class BotExistsError extends Error {
  override readonly name = 'BotExistsError';
  constructor(readonly bot: string) {
    super(`a bot named "${bot}" already exists`);
  }
}

export class FileNotFoundError extends Error {
  override readonly name = 'FileNotFoundError';
  constructor(
    readonly bot: string,
    readonly file: string,
  ) {
    super(`bot "${bot}" has no file ${file}`);
  }
}

/** Talk to a bot whose files changed since its last successful verify, without `recent`: Pandorabots' 412. */
export class BotNotCompiledError extends Error {
  override readonly name = 'BotNotCompiledError';
  constructor(readonly bot: string) {
    super(`bot "${bot}" has changes that are not compiled yet: verify it, or talk with recent=true to use the last compiled version`);
  }
}
