import { compileBot, type Bot, type BotFiles, type CompileOptions, type RespondOptions, type Session } from '../../../aiml/index.js';

/** Wraps category XML in an AIML file. */
export const aiml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n${body}\n</aiml>\n`;

/** One category as XML. */
export const cat = (pattern: string, template: string, extra = '') => `<category><pattern>${pattern}</pattern>${extra}<template>${template}</template></category>`;

export interface Chat {
  bot: Bot;
  session: Session;
  say(input: string, options?: RespondOptions): string;
}

/** Compiles a bot from files (or from category XML for aiml/test.aiml) and opens one conversation. */
export function chat(files: BotFiles | string, options: CompileOptions = {}): Chat {
  const { bot } = compileBot(typeof files === 'string' ? { 'aiml/test.aiml': aiml(files) } : files, options);
  const session = bot.createSession('tester');
  return { bot, session, say: (input, o) => bot.respond(session, input, o).text };
}
