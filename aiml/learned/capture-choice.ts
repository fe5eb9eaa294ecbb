/**
 * Which user input a designer's reply answers (issue 13, "Capture the right thing"). A pure function of the
 * conversation and the bot's normaliser, so the Platform (capturing) and Studio (offering the other candidates)
 * decide alike:
 * - the candidates are the sentences of the user messages since the last human answer, split and normalised
 *   exactly as the engine matched them;
 * - a sentence the bot fell back on (the ultimate default category, no match, or a limit) is preferred, a question
 *   first; a sentence the bot answered with another category is never chosen (the designer may still pick it);
 * - when nothing fell back (the bot was paused, so there are no bot replies), the last question, else the last
 *   sentence;
 * - `that` is `*` (any context) unless the chosen input is a short reply whose meaning depends on what was said
 *   before ("yes", "why", "ok"...): then it is the last sentence of the bot's or designer's reply before it.
 */
import type { Bot } from '../bot.js';

/** A message of the conversation, as the Platform keeps it (protocol/conversation.ts Message fits). */
export interface CaptureMessage {
  seq: number;
  author: 'user' | 'bot' | 'human' | 'system';
  text: string;
  /** For bot replies: one entry per sentence of the user message answered, in order (MatchInfo fits). */
  match?: ReadonlyArray<{ pattern: string; defaultCategory: boolean; limit?: string }>;
}

/** The bot's sentence splitting and normalisation, exactly as it matches (see captureNormaliser). */
export interface CaptureNormaliser {
  /** Each sentence the engine matches: its normalised words and whether it reads as a question. */
  sentences(text: string): Array<{ pattern: string; question: boolean }>;
  /** A reply's last sentence, normalised as <that> is matched ('' for none). */
  that(reply: string): string;
}

export type CandidateStatus = 'fellBack' | 'unanswered' | 'answered';

export interface CaptureCandidate {
  /** The normalised sentence: the pattern the category would get. */
  pattern: string;
  /** The user message it comes from, and which of its sentences (0-based, as the engine counted them). */
  seq: number;
  sentence: number;
  /** fellBack: the bot answered it with its default (or nothing); unanswered: no bot reply (paused); answered: another category answered it. */
  status: CandidateStatus;
  question: boolean;
  /** What the category's <that> would be for this candidate: `*`, or the reply it answers when it is a short context-dependent one. */
  that: string;
}

export interface CaptureChoice {
  /** Every sentence since the last human answer, the preferred first. */
  candidates: CaptureCandidate[];
  /** What to capture: the first candidate, unless the bot answered every sentence (then nothing). */
  chosen: CaptureCandidate[];
  /** The chosen candidate's <that> (`*` when nothing is chosen). */
  that: string;
}

/** Words that open a question in English (the starter bot's and ALICE's language). */
export const ENGLISH_QUESTION_WORDS: readonly string[] = [
  'WHAT', 'WHATS', 'WHERE', 'WHERES', 'WHEN', 'WHENS', 'WHY', 'HOW', 'HOWS', 'WHO', 'WHOS', 'WHOM', 'WHOSE', 'WHICH',
  'DO', 'DOES', 'DID', 'CAN', 'COULD', 'IS', 'ISNT', 'ARE', 'ARENT', 'WAS', 'WERE', 'WILL', 'WOULD', 'SHOULD', 'SHALL',
  'MAY', 'MIGHT', 'HAVE', 'HAS', 'HAD', 'DONT', 'DOESNT', 'CANT', 'WONT', 'AM',
];

/** Whole inputs (of one or two words) that mean nothing without what was said before them. */
export const ENGLISH_CONTEXT_REPLIES: readonly string[] = [
  'YES', 'NO', 'WHY', 'OK', 'OKAY', 'SURE', 'MAYBE', 'REALLY', 'HOW', 'THANKS', 'PLEASE', 'Y', 'N', 'YEP', 'NOPE', 'YEAH',
  'YA', 'YUP', 'NAH', 'NOT', 'NEVER', 'ALWAYS', 'AGREED', 'FINE', 'RIGHT', 'CORRECT', 'WRONG', 'TRUE', 'FALSE', 'WHEN',
  'WHERE', 'WHO', 'WHAT', 'WHICH', 'THAT', 'THIS', 'BOTH', 'NEITHER', 'EITHER', 'PERHAPS', 'ABSOLUTELY', 'DEFINITELY',
  'OF COURSE', 'YES PLEASE', 'NO THANKS', 'THANK YOU', 'NOT REALLY', 'WHY NOT', 'HOW SO', 'I DO', 'I DONT', 'ME TOO',
  'NOT YET', 'SO WHAT', 'HOW COME', 'WHAT ELSE', 'LIKE WHAT', 'WHY SO', 'OK THANKS', 'YES I', 'NO I', 'THE FIRST',
  'THE SECOND', 'THE LAST', 'NO WAY', 'ALL RIGHT', 'ALRIGHT', 'I AM', 'I AM NOT', 'WHAT FOR',
];

export interface CaptureLanguage {
  questionWords: readonly string[];
  contextReplies: readonly string[];
}

export const ENGLISH: CaptureLanguage = { questionWords: ENGLISH_QUESTION_WORDS, contextReplies: ENGLISH_CONTEXT_REPLIES };

const QUESTION_MARKS = new Set(['?', '\uFF1F', '\u061F']);

/** The bot's own splitting and normalisation (its `normal` substitutions and `sentence-splitters`). */
export function captureNormaliser(bot: Bot, language: CaptureLanguage = ENGLISH): CaptureNormaliser {
  const questionWords = new Set(language.questionWords);
  const normalizer = bot.data.normalizer;
  return {
    sentences: (text) =>
      normalizer.sentencesWithText(text).map(({ words, text: raw, end }) => ({
        pattern: words.upper.join(' '),
        question: QUESTION_MARKS.has(end) || QUESTION_MARKS.has(raw.trimEnd().slice(-1)) || questionWords.has(words.upper[0]!),
      })),
    that: (reply) => bot.normalizeThat(reply),
  };
}

function isFallback(m: { pattern: string; defaultCategory: boolean; limit?: string }): boolean {
  return m.defaultCategory || m.pattern === '' || m.limit !== undefined;
}

const STATUS_RANK: Record<CandidateStatus, number> = { fellBack: 0, unanswered: 1, answered: 2 };

export function chooseCapture(messages: readonly CaptureMessage[], normaliser: CaptureNormaliser, language: CaptureLanguage = ENGLISH): CaptureChoice {
  const contextReplies = new Set(language.contextReplies);
  let lastHuman = -1;
  for (let i = messages.length - 1; i >= 0 && lastHuman === -1; i--) if (messages[i]!.author === 'human') lastHuman = i;

  const candidates: Array<CaptureCandidate & { order: number }> = [];
  let order = 0;
  for (let i = lastHuman + 1; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.author !== 'user') continue;
    // The bot's reply to this message: the first bot message after it, before the next user message.
    let reply: CaptureMessage | undefined;
    for (let j = i + 1; j < messages.length && messages[j]!.author !== 'user'; j++) {
      if (messages[j]!.author === 'bot') {
        reply = messages[j];
        break;
      }
    }
    const sentences = normaliser.sentences(message.text);
    const wholeInput = sentences.map((s) => s.pattern).join(' ');
    const contextDependent = wholeInput.split(' ').length <= 2 && contextReplies.has(wholeInput);
    const that = contextDependent ? previousReplyThat(messages, i, normaliser) : '*';
    sentences.forEach((s, index) => {
      const match = reply?.match?.[index];
      // A reply that answered fewer sentences (a time limit stopped it) did not answer the rest either.
      const status: CandidateStatus = reply === undefined ? 'unanswered' : match === undefined || isFallback(match) ? 'fellBack' : 'answered';
      candidates.push({ pattern: s.pattern, seq: message.seq, sentence: index, status, question: s.question, that, order: order++ });
    });
  }
  // Preferred first: fell back, then not answered at all, then answered; a question first; the latest first.
  candidates.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || Number(b.question) - Number(a.question) || b.order - a.order);
  const list: CaptureCandidate[] = candidates.map(({ order: _order, ...c }) => c);
  const first = list[0];
  const chosen = first !== undefined && first.status !== 'answered' ? [first] : [];
  return { candidates: list, chosen, that: chosen[0]?.that ?? '*' };
}

/** The last sentence of the bot's or designer's reply before message `index`, normalised ('*' when there is none). */
function previousReplyThat(messages: readonly CaptureMessage[], index: number, normaliser: CaptureNormaliser): string {
  for (let i = index - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.author !== 'bot' && m.author !== 'human') continue;
    const that = normaliser.that(m.text);
    if (that.length > 0) return that;
  }
  return '*';
}
