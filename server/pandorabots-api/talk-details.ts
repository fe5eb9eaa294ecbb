import type { Bot, Reply } from '../../aiml/index.js';

/**
 * The talk API's `extra=true` and `trace=true` additions, in Pandorabots' shapes: extra adds, per input sentence,
 * the input, pattern, that, topic, file name and template of the category the sentence matched (pb-cli reads the
 * `patterns` array); trace is a list alternating `{level, input: [words]}` and
 * `{matched: [pattern, that, topic], filename, template}` for every recursion level (pb-python reads it so).
 */
export function extraFields(bot: Bot, reply: Reply): Record<string, string[] | boolean[]> {
  const own = reply.sentences.map((s) => s.match.matched ?? s.match);
  return {
    inputs: reply.sentences.map((s) => s.input),
    patterns: own.map((m) => m.pattern),
    thats: own.map((m) => m.that),
    topics: own.map((m) => m.topic),
    filenames: own.map((m) => fileName(m.file)),
    templates: own.map((m) => templateOf(bot, m.file, m.pattern, m.that, m.topic)),
    defaults: reply.sentences.map((s) => s.match.defaultCategory),
  };
}

export function traceField(bot: Bot, reply: Reply): unknown[] {
  const trace: unknown[] = [];
  for (const sentence of reply.sentences) {
    for (const step of sentence.match.trace ?? []) {
      // Strictly alternating (pb-python reads entry i as the input and i + 1 as its match), so a step that
      // matched nothing still gets its (empty) match entry.
      trace.push({ level: step.level, input: step.input.split(' ').filter(Boolean) });
      trace.push({
        matched: step.pattern === undefined ? [] : [step.pattern, step.that ?? '*', step.topic ?? '*'],
        filename: fileName(step.file ?? ''),
        template: step.pattern === undefined ? '' : templateOf(bot, step.file ?? '', step.pattern, step.that, step.topic),
      });
    }
  }
  return trace;
}

/**
 * The template of the category that matched, looked up by its pattern, that and topic. A category a client taught
 * with <learn> is not in the bot (the bot's category of the same pattern, from another file, is not the one): ''.
 */
function templateOf(bot: Bot, file: string, pattern: string, that = '*', topic = '*'): string {
  const category = bot.category(pattern, that, topic);
  return category !== undefined && category.file === file ? category.template.trim() : '';
}

/** The API shows file names as Pandorabots does (`udc.aiml`), not the path inside the bot folder. */
function fileName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
