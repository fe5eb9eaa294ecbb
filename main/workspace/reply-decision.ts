import type { Message } from '../../protocol/conversation.js';

/** How the bot sees text: its sentences normalised for matching, and a reply's last sentence as `<that>`. */
export interface InputNormalizer {
  normalize(input: string): string[];
  normalizeThat(reply: string): string;
}

export type ReplyDecision =
  | { capture: true; pattern: string; that: string; topic: string; inputSeq: number }
  | { capture: false; reason: string };

/**
 * What category a designer reply teaches (issue 6, Capture): the pattern is the last user input before the reply,
 * normalised as the bot normalises it (its last sentence: the bot answers sentence by sentence, and the question
 * usually comes last); `<that>` is the last sentence of what the user was answering, the bot's or a designer's
 * previous reply, as the Platform feeds it to the engine. Notices (system messages) never count.
 * `before` holds the messages before the reply, oldest first.
 */
export function decideCategory(before: Message[], normalizer: InputNormalizer, captureThat: boolean): ReplyDecision {
  let inputIndex = -1;
  for (let i = before.length - 1; i >= 0; i--) {
    if (before[i]!.author === 'user') {
      inputIndex = i;
      break;
    }
  }
  if (inputIndex < 0) return { capture: false, reason: 'the reply does not answer any user input' };
  const input = before[inputIndex]!;
  const sentences = normalizer.normalize(input.text).filter((s) => s.trim() !== '');
  const pattern = sentences.at(-1);
  if (!pattern) return { capture: false, reason: 'the user input has no words to match' };
  let that = '*';
  if (captureThat) {
    for (let i = inputIndex - 1; i >= 0; i--) {
      const m = before[i]!;
      if (m.author === 'bot' || m.author === 'human') {
        that = normalizer.normalizeThat(m.text).trim() || '*';
        break;
      }
    }
  }
  return { capture: true, pattern, that, topic: '*', inputSeq: input.seq };
}
