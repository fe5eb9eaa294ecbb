import type { Bot, Reply } from '../../aiml/index.js';

/**
 * The talk API's `extra=true` and `trace=true` additions, in Pandorabots' shapes: extra adds, per input sentence,
 * the input, pattern, that, topic, file name and template of the category the sentence matched (pb-cli reads the
 * `patterns` array); trace is a list alternating `{level, input: [words]}` and
 * `{matched: [pattern, that, topic], filename, template}` for every recursion level (pb-python reads it so).
 */
export function extraFields(bot: Bot, reply: Reply): Record<string, string[] | boolean[]> {
  const templates = templateIndex(bot);
  const own = reply.sentences.map((s) => s.match.matched ?? s.match);
  return {
    inputs: reply.sentences.map((s) => s.input),
    patterns: own.map((m) => m.pattern),
    thats: own.map((m) => m.that),
    topics: own.map((m) => m.topic),
    filenames: own.map((m) => fileName(m.file)),
    templates: own.map((m) => templates.get(keyOf(m.file, m.line)) ?? ''),
    defaults: reply.sentences.map((s) => s.match.defaultCategory),
  };
}

export function traceField(bot: Bot, reply: Reply): unknown[] {
  const templates = templateIndex(bot);
  const trace: unknown[] = [];
  for (const sentence of reply.sentences) {
    for (const step of sentence.match.trace ?? []) {
      // Strictly alternating (pb-python reads entry i as the input and i + 1 as its match), so a step that
      // matched nothing still gets its (empty) match entry.
      trace.push({ level: step.level, input: step.input.split(' ').filter(Boolean) });
      trace.push({
        matched: step.pattern === undefined ? [] : [step.pattern, step.that ?? '*', step.topic ?? '*'],
        filename: fileName(step.file ?? ''),
        template: step.pattern === undefined ? '' : (templates.get(keyOf(step.file ?? '', step.line)) ?? ''),
      });
    }
  }
  return trace;
}

const indexes = new WeakMap<Bot, Map<string, string>>();

/** Templates by file and line, built once per compiled bot (only when a client asks for extra or trace). */
function templateIndex(bot: Bot): Map<string, string> {
  let index = indexes.get(bot);
  if (!index) {
    index = new Map();
    for (const c of bot.categories()) index.set(keyOf(c.file, c.line), c.template.trim());
    indexes.set(bot, index);
  }
  return index;
}

function keyOf(file: string, line: number | undefined): string {
  return `${file}\u0000${line ?? 0}`;
}

/** The API shows file names as Pandorabots does (`udc.aiml`), not the path inside the bot folder. */
function fileName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
