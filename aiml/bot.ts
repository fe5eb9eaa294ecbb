/**
 * A compiled bot. Immutable once compiled, except that <learnf> adds categories for everyone (that is
 * what learnf means). Hot swap = compile a new Bot and keep passing the same Sessions to it.
 */
import type { BotData } from './bot-data.js';
import type { CompileResult } from './compile.js';
import { tokensFromText, type Category } from './category.js';
import { toWords } from './normalizer.js';
import { MatchBudgetExceeded } from './pattern-graph.js';
import { overlayData } from './overlay.js';
import { DEFAULT_LIMIT_RESPONSE, Responder, UNKNOWN_WORDS } from './responder.js';
import { Session } from './session.js';
import type { BotFiles, CategoryInfo, MatchMeta, Reply, RespondOptions } from './types.js';

export class Bot {
  /** @internal The compiled contents; other engine modules use it, callers should not. */
  readonly data: BotData;

  constructor(data: BotData) {
    this.data = data;
  }

  get name(): string {
    return this.data.name;
  }

  /** Categories currently live (replaced duplicates not counted; learnf additions counted). */
  get categoryCount(): number {
    return this.data.graph.size;
  }

  /**
   * This bot plus extra AIML files, answering exactly as if those files had been loaded last into it (an
   * identical pattern + that + topic in them replaces this bot's category; otherwise the usual match order
   * across both; srai from either side reaches both; explain, categories, category and categoryCount see
   * both). This bot's compiled categories are shared, not copied: the cost is the extra files'. The files are
   * added on top even when one has the path of one of this bot's files; only AIML counts (sets, maps,
   * substitutions and properties are this bot's). Diagnostics are the extra files' only. <learnf> in the new bot
   * goes into the new bot; <learnf> in this bot shows through to it.
   */
  withOverlay(files: BotFiles): CompileResult {
    const { data, diagnostics } = overlayData(this.data, files);
    return { bot: new Bot(data), diagnostics };
  }

  createSession(clientId: string): Session {
    return new Session(clientId);
  }

  /** Answers one user message. Synchronous and bounded by the engine limits; never throws for bad input. */
  respond(session: Session, input: string, options: RespondOptions = {}): Reply {
    try {
      return new Responder(this.data, session, options).respond(input);
    } catch (e) {
      // Sentences guard themselves; this catches a caller that left almost no stack for us at all.
      if (e instanceof RangeError) return { text: this.data.properties.get('limit-response') ?? DEFAULT_LIMIT_RESPONSE, sentences: [], limitHit: 'depth' };
      throw e;
    }
  }

  /** The sentences of an input exactly as the matcher sees them (upper case, no punctuation). */
  normalize(input: string): string[] {
    return this.data.normalizer.sentences(input).map((s) => s.upper.join(' '));
  }

  /** The last sentence of a reply, normalised the way <that> is matched ('' for an empty reply). */
  normalizeThat(reply: string): string {
    return this.data.normalizer.thatWords(reply).join(' ');
  }

  /**
   * Which category the (first sentence of the) input matches, with no side effects: no template runs, so
   * no srai is followed and `srai` is empty. Undefined when nothing matches or the input has no words.
   */
  explain(input: string, ctx: { that?: string; topic?: string } = {}): MatchMeta | undefined {
    const sentence = this.data.normalizer.sentences(input)[0];
    if (!sentence) return undefined;
    const that = ctx.that === undefined ? [] : this.data.normalizer.thatWords(ctx.that);
    const topic = ctx.topic === undefined ? [] : toWords(ctx.topic).upper;
    const limit = this.data.limits.maxSentenceWords;
    try {
      const m = this.data.matcher.match(
        {
          input: sentence.upper.slice(0, limit),
          original: sentence.original.slice(0, limit),
          that: that.length > 0 ? that : UNKNOWN_WORDS,
          topic: topic.length > 0 ? topic : UNKNOWN_WORDS,
        },
        this.data.limits.maxMatchSteps,
      );
      if (!m) return undefined;
      const c = m.category;
      const meta: MatchMeta = { pattern: c.pattern, that: c.that, topic: c.topic, file: c.file, defaultCategory: c.isDefault, srai: [] };
      if (c.line > 0) meta.line = c.line;
      return meta;
    } catch (e) {
      if (e instanceof MatchBudgetExceeded) return undefined;
      throw e;
    }
  }

  /** Every live category with its source, in load order (for Studio's conflict view). */
  *categories(): Iterable<CategoryInfo> {
    for (const c of this.data.graph.categories()) yield infoOf(c);
  }

  /**
   * The live category with this pattern, that and topic, written as MatchMeta and CategoryInfo show them
   * ("HELLO <set>color</set> *"), or undefined: a matched category's template without scanning them all.
   */
  category(pattern: string, that = '*', topic = '*'): CategoryInfo | undefined {
    const c = this.data.graph.find(tokensFromText(pattern), tokensFromText(that), tokensFromText(topic));
    return c === undefined ? undefined : infoOf(c);
  }

  /** A bot property (case-insensitive name), including the engine defaults such as default-get. */
  property(name: string): string | undefined {
    return this.data.properties.get(name.toLowerCase());
  }
}

function infoOf(c: Category): CategoryInfo {
  return {
    pattern: c.pattern,
    that: c.that,
    topic: c.topic,
    file: c.file,
    line: c.line,
    template: c.sourceText.slice(c.sourceStart, c.sourceEnd),
    origin: c.origin === 'learnf' ? 'learnf' : 'file',
  };
}
