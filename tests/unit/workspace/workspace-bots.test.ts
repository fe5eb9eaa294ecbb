import { describe, expect, it } from 'vitest';
import { compileBot, type Bot } from '../../../aiml/index.js';
import type { LearnedCategory } from '../../../main/workspace/learned-category.js';
import { liveTrainingFileText } from '../../../main/workspace/live-training-file.js';
import { WorkspaceBotCache, type OtherFiles } from '../../../main/workspace/workspace-bots.js';
import { aiml, category } from './support/workspace-fixture.js';

const other = (stamp: string, categories: string): OtherFiles => ({ stamp, files: { 'aiml/main.aiml': aiml(categories) }, real: true });
const learned = (pattern: string, template: string, that = '*'): LearnedCategory => ({ pattern, that, topic: '*', template });
const answer = (bot: Bot, input: string, that?: string) => bot.respond(bot.createSession('t'), input, that === undefined ? {} : { that }).text;
const noFile = () => undefined;

describe('the workspace bots (bot files + learned categories)', () => {
  it("answers with a capture at once, without compiling the bot's files again", () => {
    const cache = new WorkspaceBotCache('starter');
    const files = other('pull-1', category('HELLO', 'Hi there.') + category('*', 'I do not know.'));
    const first = cache.bots(files, [learned('DO YOU SHIP TO MARS', 'Every Tuesday.')], 1, noFile);
    const second = cache.bots(files, [learned('DO YOU SHIP TO MARS', 'Every Tuesday.'), learned('DO YOU SHIP TO VENUS', 'Not yet.')], 2, noFile);
    expect(second.base).toBe(first.base);
    expect(answer(second.combined, 'Do you ship to Venus?')).toBe('Not yet.');
    expect(answer(second.combined, 'Do you ship to Mars?')).toBe('Every Tuesday.');
    expect(answer(second.combined, 'hello')).toBe('Hi there.');
    expect(answer(second.base, 'Do you ship to Venus?')).toBe('I do not know.');
    expect(answer(first.combined, 'Do you ship to Venus?')).toBe('I do not know.');
  });

  it('answers, lists and counts exactly as the bot will once the learned file is published next to its files', () => {
    const cache = new WorkspaceBotCache('starter');
    const files = other('pull-1', category('HELLO', 'Hi there.') + category('YES', 'Yes what?') + category('HELLO *', 'Hello you.') + category('*', 'I do not know.'));
    const categories = [learned('HELLO', 'Hello from the designer.'), learned('YES', 'Tea it is.', 'WOULD YOU LIKE TEA'), learned('_ THERE', 'Over there.')];
    const { combined } = cache.bots(files, categories, 1, noFile);
    const published = compileBot({ ...files.files, 'aiml/pand_livetraining.aiml': liveTrainingFileText(categories, 'starter', new Date(0)) }, { botName: 'starter' }).bot;
    for (const [input, that] of [['hello'], ['hello there'], ['hello you'], ['yes', 'Would you like tea?'], ['yes', 'Shall we?'], ['what']] as const) {
      expect(answer(combined, input, that), `${input} / ${that}`).toBe(answer(published, input, that));
      expect(combined.explain(input, that === undefined ? {} : { that })).toEqual(published.explain(input, that === undefined ? {} : { that }));
    }
    expect(answer(combined, 'hello')).toBe('Hello from the designer.');
    expect([...combined.categories()]).toEqual([...published.categories()]);
    expect(combined.categoryCount).toBe(published.categoryCount);
  });

  it('compiles both again when the bot files change', () => {
    const cache = new WorkspaceBotCache('starter');
    const first = cache.bots(other('pull-1', category('HELLO', 'Hi.')), [learned('BYE', 'Bye.')], 1, noFile);
    const second = cache.bots(other('pull-2', category('HELLO', 'Good day.')), [learned('BYE', 'Bye.')], 1, noFile);
    expect(second.base).not.toBe(first.base);
    expect(answer(second.combined, 'hello')).toBe('Good day.');
    expect(answer(second.combined, 'bye')).toBe('Bye.');
  });

  it("keeps what a preview teaches with <learnf> out of the bot's files, also with nothing learned yet", () => {
    const cache = new WorkspaceBotCache('starter');
    const teach = category('TEACH *', '<learnf><category><pattern><eval><star/></eval></pattern><template>taught</template></category></learnf>ok');
    const { base, combined } = cache.bots(other('pull-1', teach + category('*', 'I do not know.')), [], 1, noFile);
    expect(answer(combined, 'teach sky')).toBe('ok');
    expect(answer(combined, 'sky')).toBe('taught');
    expect(answer(base, 'sky')).toBe('I do not know.');
  });
});
