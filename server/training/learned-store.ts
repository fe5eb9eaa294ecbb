import type { LearnedCategory, LearnedHistoryEntry, UnansweredGroup } from '../../protocol/learned.js';

/**
 * Where a Platform keeps each bot's learned categories (DESIGN.md section 6): the categories, every operation's
 * history, the capture watermark (how far the bot's event log has been turned into categories) and the unanswered
 * queue. Asynchronous and free of any SQL dialect so that a PostgreSQL implementation can follow the SQLite one
 * (`sqlite-learned-store.ts`): callers never see how it is kept.
 */
export interface LearnedStore {
  list(bot: string, query: { status?: LearnedCategory['status']; afterId?: string; limit: number }): Promise<LearnedCategory[]>;
  get(bot: string, id: string): Promise<LearnedCategory | undefined>;
  /** The category answering exactly this pattern, that and topic (there is at most one per bot). */
  byKey(bot: string, key: CategoryKey): Promise<LearnedCategory | undefined>;
  /** Every category of the bot (the live layer and `pand_livetraining.aiml` are built from the approved ones). */
  all(bot: string): Promise<LearnedCategory[]>;
  count(bot: string): Promise<number>;
  /** History, newest first: of one category, or of the whole bot. */
  history(bot: string, query: { categoryId?: string; limit: number }): Promise<LearnedHistoryEntry[]>;
  /** Every history entry one operation wrote (an import writes one per category). */
  operation(bot: string, opId: string): Promise<LearnedHistoryEntry[]>;

  /** How far the bot's event log was consumed; undefined when the store never saw the bot. */
  watermark(bot: string): Promise<number | undefined>;
  /** The category the last designer reply of a conversation created or extended. */
  lastCapture(conversationId: string): Promise<CaptureLink | undefined>;

  unanswered(bot: string, query: { includeIgnored: boolean; limit: number }): Promise<UnansweredGroup[]>;
  unansweredGroup(bot: string, groupKey: string): Promise<UnansweredGroup | undefined>;

  /**
   * Applies everything in `commit` atomically, or nothing: when a category's version is not the expected one it
   * throws `StaleVersionError` and changes nothing (compare-and-set, also across Platform instances).
   */
  commit(bot: string, commit: LearnedCommit): Promise<void>;
  close(): Promise<void>;
}

export interface CategoryKey {
  pattern: string;
  that: string;
  topic: string;
}

export interface CaptureLink {
  conversationId: string;
  categoryId: string;
  inputSeq: number;
  /** The designer reply that last extended it: a reply right after this one extends it again. */
  lastReplySeq: number;
}

/** One user input that fell back to the default category. */
export interface UnansweredHit {
  groupKey: string;
  input: string;
  conversationId: string;
  at: number;
}

export interface LearnedCommit {
  /** Each category's version as the change expects it before (null: must not exist). */
  expect?: Array<{ id: string; version: number | null }>;
  removes?: string[];
  upserts?: LearnedCategory[];
  history?: LearnedHistoryEntry[];
  watermark?: number;
  /**
   * The watermark the committing consumer read (null: the bot had none). When another consumer (another Platform
   * instance) moved it since, the commit throws `WatermarkMovedError` and changes nothing: each event is consumed once.
   */
  watermarkFrom?: number | null;
  captureLinks?: CaptureLink[];
  unanswered?: UnansweredHit[];
  /** Groups answered (they leave the queue) . */
  answeredGroups?: string[];
  ignoreGroup?: { groupKey: string; ignored: boolean };
}

export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
  constructor(
    readonly id: string,
    readonly expected: number | null,
    readonly actual: number | null,
  ) {
    super(`learned category ${id} is at version ${actual ?? 'none'}, not ${expected ?? 'none'}`);
  }
}

/** Two categories of one bot with the same pattern, that and topic. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(readonly key: CategoryKey) {
    super(`a learned category already answers ${key.pattern} (that ${key.that}, topic ${key.topic})`);
  }
}

/** Another consumer of the bot's event log committed past the watermark this commit was planned from. */
export class WatermarkMovedError extends Error {
  override readonly name = 'WatermarkMovedError';
  constructor(
    readonly expected: number | null,
    readonly actual: number | null,
  ) {
    super(`the capture watermark is at ${actual ?? 'none'}, not ${expected ?? 'none'}: another instance consumed these events`);
  }
}
