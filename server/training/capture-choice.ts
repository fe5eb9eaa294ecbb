import type { Bot } from '../../aiml/index.js';
import type { CaptureCandidate, LearnedFields } from '../../protocol/learned.js';

/**
 * Which user input a designer reply answers (issue 13, "Capture the right thing"), until the engine's own capture
 * choice (aiml/learned) replaces it. Of the user messages since the last human answer, the sentences the bot could not
 * answer (it fell back to the default category, or would have while paused) are the candidates; a question is
 * preferred, then the latest. A sentence the bot answered is never captured. `<that>` is kept only for a short reply
 * whose meaning depends on what was said before it ("yes", "why", "ok").
 */
export interface UserInput {
  seq: number;
  text: string;
  /** Per sentence, from the bot's reply to this message (undefined when the bot did not answer it). */
  fellBack?: boolean[];
}

export interface CaptureChoice {
  fields: Omit<LearnedFields, 'template'>;
  inputSeq: number;
  /** The captured sentence as the user typed it. */
  input: string;
  candidates: CaptureCandidate[];
}

/** Words whose meaning is the previous message's: captured with `<that>`. */
const CONTEXT_WORDS = new Set(['YES', 'NO', 'WHY', 'OK', 'OKAY', 'SURE', 'YEAH', 'YEP', 'NOPE', 'NAH', 'MAYBE', 'REALLY', 'THANKS', 'PLEASE', 'FINE', 'AGREED', 'CORRECT', 'RIGHT', 'WRONG']);
const SHORT_REPLY_WORDS = 3;

/** The sentences of a message as typed, aligned with the bot's normalised sentences when the counts agree. */
function typedSentences(text: string, count: number): string[] {
  const parts = text
    .split(/(?<=[.!?;])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return parts.length === count ? parts : Array.from({ length: count }, () => text.trim());
}

export function chooseCapture(bot: Bot, inputs: readonly UserInput[], previousTextOf: (seq: number) => string | undefined): CaptureChoice | undefined {
  const options: Array<{ seq: number; typed: string; pattern: string; question: boolean }> = [];
  for (const input of inputs) {
    const normalised = bot.normalize(input.text);
    const typed = typedSentences(input.text, normalised.length);
    normalised.forEach((pattern, i) => {
      if (pattern.trim() === '') return;
      const fellBack = input.fellBack?.length === normalised.length ? input.fellBack[i]! : (bot.explain(pattern)?.defaultCategory ?? true);
      if (fellBack) options.push({ seq: input.seq, typed: typed[i]!, pattern, question: /\?\s*$/.test(typed[i]!) });
    });
  }
  if (options.length === 0) return undefined;
  // A question first, then the latest.
  const chosen = [...options].sort((a, b) => Number(b.question) - Number(a.question) || b.seq - a.seq)[0]!;
  const words = chosen.pattern.split(' ');
  const previousText = previousTextOf(chosen.seq);
  const dependsOnContext = words.length <= SHORT_REPLY_WORDS && CONTEXT_WORDS.has(words[0]!) && previousText !== undefined;
  const that = dependsOnContext ? bot.normalizeThat(previousText) : '';
  return {
    fields: { pattern: chosen.pattern, that: that === '' ? '*' : that, topic: '*' },
    inputSeq: chosen.seq,
    input: chosen.typed,
    candidates: options.filter((o) => o !== chosen).map((o) => ({ inputSeq: o.seq, input: o.typed })),
  };
}
