import type { ReviewState } from '../../protocol/training.js';

/** Where a learned category came from: the conversation, the user input it answers, the replies, when. */
export interface CategorySource {
  conversationId: string;
  /** Sequence number of the user message the pattern was made from. */
  inputSeq: number;
  /** Sequence numbers of the designer replies that make up the template, in order. */
  replySeqs: number[];
  /** When it was captured or last extended (ms epoch, Platform time of the last reply). */
  capturedAt: number;
  /** The user's message as typed (the pattern is its normalised form). */
  input?: string;
  /** The conversation's robot name when it was captured. */
  clientName?: string;
  /** What the bot answered that input with before the designer stepped in, when it did. */
  before?: { pattern: string; that: string; topic: string; file: string; defaultCategory: boolean };
}

/** A category of `pand_livetraining.aiml` as the workspace keeps it. */
export interface LearnedCategory {
  /** Normalised (uppercase words, wildcards) as the matcher sees it. */
  pattern: string;
  /** `*` when the category does not depend on the bot's previous reply. */
  that: string;
  topic: string;
  /** AIML template content (XML, escaped text). */
  template: string;
  source?: CategorySource;
  /** `new` until the designer reviewed it (marked it, or edited it). */
  state?: ReviewState;
}

/** Two categories with the same key are the same category to the engine: the later one wins. */
export function categoryKey(c: Pick<LearnedCategory, 'pattern' | 'that' | 'topic'>): string {
  return `${normalisePattern(c.pattern)}\u0000${normalisePattern(c.that || '*')}\u0000${normalisePattern(c.topic || '*')}`;
}

/** Patterns compare case- and space-insensitively, as the matcher reads them. */
export function normalisePattern(p: string): string {
  return p.replace(/\s+/g, ' ').trim().toUpperCase();
}
