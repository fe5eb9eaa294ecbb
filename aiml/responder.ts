/**
 * Answers one user message for one session: normalises it into sentences, matches each one, evaluates
 * the template (srai, conditions, predicates, learning...) and builds the reply with its metadata.
 *
 * Every reply is bounded: srai depth and count, wall time, condition loops, output size and matching
 * steps all have limits. Hitting one abandons that sentence's answer, gives the defined fallback text
 * and says which limit in the metadata; it never throws to the caller and never blows the stack.
 */
import { readCategory } from './aiml-reader.js';
import { builtinMap } from './builtin-maps.js';
import type { BotData } from './bot-data.js';
import type { Category } from './category.js';
import { dateParts, DEFAULT_DATE_FORMAT, intervalBetween, strftime, strptime } from './date-format.js';
import { learnedCategoryCount, learnedGraph, learnForClient, learnForEveryone, substituteEvals } from './learning.js';
import { toWords } from './normalizer.js';
import { compareMatchKeys, MatchBudgetExceeded, type MatchResult } from './pattern-graph.js';
import type { Session } from './session.js';
import type { Attr, ConditionSpec, TElement, TNode, Template } from './template-ast.js';
import type { EngineLimits, LimitKind, MatchMeta, Reply, RespondOptions, SentenceReply, TraceStep } from './types.js';

export const PROGRAM_NAME = 'Live Training Studio AIML 2.0 engine';
export const DEFAULT_LIMIT_RESPONSE = "Sorry, I lost my train of thought there. Could you say that another way?";
/** What a sentence that matches no category answers, unless the bot's `no-match-response` property says otherwise (Program AB's text). */
export const DEFAULT_NO_MATCH_RESPONSE = 'I have no answer for that.';
/** What an empty that or topic is matched as (patterns need at least one word there). */
export const UNKNOWN_WORDS = ['UNKNOWN'];

export class LimitReached extends Error {
  constructor(
    readonly kind: LimitKind,
    readonly detail: string,
  ) {
    super(detail);
  }
}

interface Frame {
  stars: string[];
  thatStars: string[];
  topicStars: string[];
  /**
   * The category's topic is `*` (or it has none): <topicstar/> is then the current topic, read when evaluated, so
   * a template that sets the topic and then says <topicstar/> gives the new one (Pandorabots' reference example).
   */
  topicIsCurrent: boolean;
  vars: Map<string, string> | undefined;
}

const WHITESPACE = /\s+/g;

/** Collapses white space runs to one space and trims; most strings are already clean and come back as is. */
export function collapse(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  let clean = s.charCodeAt(0) > 32 && s.charCodeAt(n - 1) > 32;
  for (let i = 1; clean && i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 && (c !== 32 || s.charCodeAt(i + 1) <= 32)) clean = false;
  }
  return clean ? s : s.replace(WHITESPACE, ' ').trim();
}

export class Responder {
  private readonly start: number;
  private thatWords: string[] = UNKNOWN_WORDS;
  private sraiCount = 0;
  private loopRequested = false;
  private sraiInputs: string[] = [];
  private trace: TraceStep[] | undefined;
  private matched: Category | undefined;
  private final: Category | undefined;
  /** The ultimate default category was on the chain of reductions from the sentence. */
  private reachedDefault = false;
  private notes: string[] = [];
  private readonly now: number;
  private readonly limits: EngineLimits;
  /** Work done for this reply (match steps + template elements), against limits.maxStepsPerReply. */
  private steps = 0;
  /** A srai element is being evaluated from the sentence's templates: deeper ones let a depth limit through. */
  private sraiGuarded = false;
  /** How many srai elements gave the limit text instead of their answer (values built from them are garbage). */
  private failedSrai = 0;
  /** The depth limit cut one srai of this sentence short (the rest of the template answered). */
  private partialLimit: LimitReached | undefined;

  constructor(
    private readonly data: BotData,
    private readonly session: Session,
    private readonly options: RespondOptions,
  ) {
    this.start = data.clock.now();
    this.now = options.now ?? Date.now();
    this.limits = options.limits === undefined ? data.limits : { ...data.limits, ...options.limits };
  }

  respond(input: string): Reply {
    const data = this.data;
    const session = this.session;
    if (this.options.that !== undefined) {
      const w = data.normalizer.thatWords(this.options.that);
      if (w.length > 0) this.thatWords = w;
    } else {
      const previous = session.responses[session.responses.length - 1];
      if (previous !== undefined) {
        // Normalising the previous reply costs as much as the input: do it once per reply and bot.
        const cache = session.thatCache;
        let w: string[];
        if (cache !== undefined && cache.owner === data && cache.reply === previous) w = cache.words;
        else {
          w = data.normalizer.thatWords(previous);
          session.thatCache = { owner: data, reply: previous, words: w };
        }
        if (w.length > 0) this.thatWords = w;
      }
    }
    const sentences = data.normalizer.sentences(input);
    if (sentences.length === 0) return { text: '', sentences: [] };
    const replies: SentenceReply[] = [];
    let limitHit: LimitKind | undefined;
    for (let i = 0; i < sentences.length; i++) {
      const sentence = sentences[i]!;
      // A sentence that ran out of time or steps already answered with the fallback; the rest would only hit it again.
      if (limitHit === 'time' || limitHit === 'steps') break;
      if (data.clock.now() - this.start > this.limits.maxMillisPerReply) {
        limitHit = 'time';
        replies.push(this.outOfTime(sentence.upper, sentences.length - i));
        break;
      }
      let upper = sentence.upper;
      let original = sentence.original;
      this.notes = [];
      if (upper.length > this.limits.maxSentenceWords) {
        upper = upper.slice(0, this.limits.maxSentenceWords);
        original = original.slice(0, this.limits.maxSentenceWords);
        this.notes.push(`only the first ${this.limits.maxSentenceWords} words of the sentence were matched`);
      }
      session.inputs.push(original.join(' '));
      const reply = this.sentence(upper, original);
      if (reply.limit) limitHit ??= reply.limit;
      replies.push(reply.reply);
    }
    const text = replyText(replies);
    // Like Program AB: while answering, <request index="1"/> and <response index="1"/> are the previous
    // exchange (so request n and response n always belong together); <input/> is the current sentence.
    session.requests.push(input);
    session.responses.push(text);
    session.trimHistory(this.limits.historySize);
    const result: Reply = { text, sentences: replies };
    if (limitHit) result.limitHit = limitHit;
    return result;
  }

  private sentence(upper: string[], original: string[]): { reply: SentenceReply; limit?: LimitKind } {
    this.sraiCount = 0;
    this.sraiInputs = [];
    this.trace = this.options.trace ? [] : undefined;
    this.matched = undefined;
    this.final = undefined;
    this.reachedDefault = false;
    this.partialLimit = undefined;
    const inputText = upper.join(' ');
    let text: string;
    let limit: LimitReached | undefined;
    try {
      const m = this.match(upper, original, 0, inputText);
      if (m) {
        this.matched = this.final = m.category;
        this.reachedDefault = m.category.isDefault;
        text = collapse(this.evalTemplate(m, 0, true));
      } else text = this.data.properties.get('no-match-response') ?? DEFAULT_NO_MATCH_RESPONSE;
      limit = this.partialLimit;
    } catch (e) {
      limit = asLimit(e);
      text = this.limitText();
    }
    const final = this.final;
    const meta: MatchMeta = final
      ? { pattern: final.pattern, that: final.that, topic: final.topic, file: final.file, defaultCategory: this.reachedDefault, srai: this.sraiInputs }
      : { pattern: '', that: '', topic: '', file: '', defaultCategory: false, srai: this.sraiInputs };
    if (final && final.line > 0) meta.line = final.line;
    if (!this.matched && !limit) meta.noMatch = true;
    const matched = this.matched;
    if (matched) {
      meta.matched = { pattern: matched.pattern, that: matched.that, topic: matched.topic, file: matched.file };
      if (matched.line > 0) meta.matched.line = matched.line;
    }
    const notes = limit ? [...this.notes, limit.detail] : this.notes;
    if (notes.length > 0) meta.limit = notes.join('; ');
    if (this.trace) meta.trace = this.trace;
    const reply: SentenceReply = { input: inputText, text, match: meta };
    return limit ? { reply, limit: limit.kind } : { reply };
  }

  /** The one answer for the sentences there was no time left for: the fallback, saying how many were skipped. */
  private outOfTime(upper: string[], skipped: number): SentenceReply {
    const others = skipped > 1 ? ` (and the ${skipped - 1} after it)` : '';
    return {
      input: upper.slice(0, this.limits.maxSentenceWords).join(' '),
      text: this.limitText(),
      match: {
        pattern: '',
        that: '',
        topic: '',
        file: '',
        defaultCategory: false,
        srai: [],
        limit: `the reply took longer than ${this.limits.maxMillisPerReply} ms: this sentence${others} was not answered`,
      },
    };
  }

  private limitText(): string {
    return this.data.properties.get('limit-response') ?? DEFAULT_LIMIT_RESPONSE;
  }

  private checkTime(): void {
    if (this.data.clock.now() - this.start > this.limits.maxMillisPerReply) {
      throw new LimitReached('time', `the reply took longer than ${this.limits.maxMillisPerReply} ms`);
    }
  }

  private outOfSteps(): LimitReached {
    return new LimitReached('steps', `the reply took more than ${this.limits.maxStepsPerReply} steps`);
  }

  private topicWords(): string[] {
    const raw = this.options.topic ?? this.session.predicates.get('topic') ?? this.data.pdefaults.get('topic');
    if (raw === undefined) return UNKNOWN_WORDS;
    const w = toWords(raw).upper;
    return w.length > 0 ? w : UNKNOWN_WORDS;
  }

  private match(upper: string[], original: string[], depth: number, inputText: string): MatchResult | undefined {
    const data = this.data;
    const input = { input: upper, that: this.thatWords, topic: this.topicWords(), original };
    const learned = learnedGraph(data, this.session);
    const limits = this.limits;
    let result: MatchResult | undefined;
    let matcher = data.matcher;
    // One match may take maxMatchSteps, and never more than the reply has left.
    const left = limits.maxStepsPerReply - this.steps;
    const budget = Math.max(1, Math.min(limits.maxMatchSteps, left));
    try {
      result = matcher.match(input, budget, learned !== undefined);
      this.steps += matcher.lastSteps;
      if (learned) {
        matcher = learned.matcher;
        // Bounded by the bot's match: the client's graph is searched only up to where that one lies.
        const mine = learned.matcher.match(input, Math.max(1, Math.min(limits.maxMatchSteps, limits.maxStepsPerReply - this.steps)), true, result?.key);
        this.steps += matcher.lastSteps;
        if (mine && (!result || compareMatchKeys(mine.key, result.key) <= 0)) result = mine;
      }
    } catch (e) {
      if (e instanceof MatchBudgetExceeded) {
        this.steps += matcher.lastSteps;
        if (this.steps >= limits.maxStepsPerReply) throw this.outOfSteps();
        throw new LimitReached('steps', `matching "${inputText.slice(0, 80)}" took more than ${limits.maxMatchSteps} steps`);
      }
      throw e;
    }
    if (this.trace) {
      const step: TraceStep = { level: depth, input: inputText };
      if (result) {
        const c = result.category;
        Object.assign(step, { pattern: c.pattern, that: c.that, topic: c.topic, file: c.file });
        if (c.line > 0) step.line = c.line;
      }
      this.trace.push(step);
    }
    return result;
  }

  private evalTemplate(m: MatchResult, depth: number, onChain: boolean): string {
    const frame: Frame = { stars: m.stars, thatStars: m.thatStars, topicStars: m.topicStars, topicIsCurrent: m.category.topic === '*', vars: undefined };
    const template = m.category.template;
    if (!onChain || !m.category.isReduction) return this.nodes(template, frame, depth);
    // A reduction on the chain from the sentence: its srai's target becomes the "final" category.
    let out = '';
    for (const n of template) {
      if (typeof n !== 'string' && (n.k === 'srai' || n.k === 'sr')) {
        const text = n.k === 'sr' ? (frame.stars[0] ?? '') : collapse(this.nodes(n.kids, frame, depth));
        out += this.srai(text, depth, true);
      } else out += this.node(n, frame, depth);
    }
    return out;
  }

  private srai(text: string, depth: number, onChain = false): string {
    const words = toWords(text);
    if (words.upper.length === 0) return '';
    const limits = this.limits;
    if (depth + 1 > limits.maxSraiDepth) throw new LimitReached('depth', `srai nested deeper than ${limits.maxSraiDepth}`);
    if (++this.sraiCount > limits.maxSraiCount) throw new LimitReached('count', `more than ${limits.maxSraiCount} srai for one sentence`);
    this.checkTime();
    const upper = words.upper.length > limits.maxSentenceWords ? words.upper.slice(0, limits.maxSentenceWords) : words.upper;
    const inputText = upper.join(' ');
    this.sraiInputs.push(inputText);
    const m = this.match(upper, words.original, depth + 1, inputText);
    if (!m) return '';
    if (onChain) {
      this.final = m.category;
      if (m.category.isDefault) this.reachedDefault = true;
    }
    return collapse(this.evalTemplate(m, depth + 1, onChain));
  }

  /**
   * A srai element of a template. When srai recursion under it hits the depth limit, the outermost such element
   * answers with the limit text and the rest of the template stands (Program AB's behaviour, which Pandorabots
   * shows); nothing between it and the limit ran to completion, so no <set> or <learn> there saw the garbage.
   */
  private guardedSrai(text: string, depth: number): string {
    if (this.sraiGuarded) return this.srai(text, depth);
    this.sraiGuarded = true;
    try {
      return this.srai(text, depth);
    } catch (e) {
      const limit = e instanceof LimitReached ? e : e instanceof RangeError ? asLimit(e) : undefined;
      if (limit === undefined || limit.kind !== 'depth') throw e;
      this.failedSrai++;
      this.partialLimit ??= limit;
      return this.limitText();
    } finally {
      this.sraiGuarded = false;
    }
  }

  nodes(nodes: Template, frame: Frame, depth: number): string {
    if (nodes.length === 1) {
      const only = nodes[0]!;
      return typeof only === 'string' ? only : this.element(only, frame, depth);
    }
    let out = '';
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      out += typeof n === 'string' ? n : this.element(n, frame, depth);
    }
    if (out.length > this.limits.maxOutputChars) {
      throw new LimitReached('count', `the answer grew past ${this.limits.maxOutputChars} characters`);
    }
    return out;
  }

  private node(n: TNode, frame: Frame, depth: number): string {
    return typeof n === 'string' ? n : this.element(n, frame, depth);
  }

  private attr(a: Attr | undefined, frame: Frame, depth: number): string | undefined {
    if (a === undefined) return undefined;
    return typeof a === 'string' ? a : collapse(this.nodes(a, frame, depth));
  }

  private element(n: TElement, frame: Frame, depth: number): string {
    if (++this.steps > this.limits.maxStepsPerReply) throw this.outOfSteps();
    const data = this.data;
    switch (n.k) {
      case 'star': {
        const list = n.which === 'star' ? frame.stars : n.which === 'thatstar' ? frame.thatStars : frame.topicStars;
        const parsed = parseInt(this.attr(n.index, frame, depth) ?? '1', 10);
        const index = Number.isFinite(parsed) && parsed > 0 ? parsed : 1;
        if (n.which === 'topicstar' && frame.topicIsCurrent && index === 1) return this.topicWords().join(' ');
        const value = list[index - 1];
        if (value === undefined) return '';
        // A # or ^ that matched no words: the spec leaves its value to the bot property nullstar (unset: empty).
        return value === '' ? (data.properties.get('nullstar') ?? '') : value;
      }
      case 'srai': {
        const failedBefore = this.failedSrai;
        const text = collapse(this.nodes(n.kids, frame, depth));
        // Its input holds a srai that hit the depth limit: matching that would only add garbage to garbage.
        if (this.failedSrai !== failedBefore) return this.limitText();
        return this.guardedSrai(text, depth);
      }
      case 'sr':
        return this.guardedSrai(frame.stars[0] ?? '', depth);
      case 'sraix':
        return this.sraix(n, frame, depth);
      case 'random': {
        if (n.items.length === 0) return '';
        const r = (this.options.random ?? Math.random)();
        const i = Math.min(n.items.length - 1, Math.max(0, Math.floor(r * n.items.length)));
        return this.nodes(n.items[i]!, frame, depth);
      }
      case 'condition':
        return this.condition(n.spec, frame, depth);
      case 'loop':
        this.loopRequested = true;
        return '';
      case 'think':
        this.nodes(n.kids, frame, depth);
        return '';
      case 'eval':
        return this.nodes(n.kids, frame, depth);
      case 'set': {
        const failedBefore = this.failedSrai;
        const value = collapse(this.nodes(n.kids, frame, depth));
        if (this.failedSrai !== failedBefore) {
          this.notes.push('a <set> was skipped: its value came from a srai that hit the depth limit');
          return value;
        }
        if (n.name !== undefined) {
          const name = this.attr(n.name, frame, depth)!;
          this.session.predicates.set(name, value);
        } else if (n.varName !== undefined) {
          (frame.vars ??= new Map()).set(this.attr(n.varName, frame, depth)!, value);
        }
        return value;
      }
      case 'get': {
        if (n.name !== undefined) {
          const name = this.attr(n.name, frame, depth)!;
          return this.session.predicates.get(name) ?? data.pdefaults.get(name) ?? data.defaultGet;
        }
        if (n.varName !== undefined) return frame.vars?.get(this.attr(n.varName, frame, depth)!) ?? data.defaultGet;
        return data.defaultGet;
      }
      case 'bot':
        return data.properties.get(this.attr(n.name, frame, depth)!.toLowerCase()) ?? data.defaultProperty;
      case 'map':
        return this.map(this.attr(n.name, frame, depth)!, collapse(this.nodes(n.kids, frame, depth)));
      case 'history':
        return this.history(n.which, this.attr(n.index, frame, depth) ?? '1');
      case 'substitute': {
        const text = n.kids === undefined ? (frame.stars[0] ?? '') : collapse(this.nodes(n.kids, frame, depth));
        return collapse(data.substituters[n.list].apply(text));
      }
      case 'text':
        return textOp(n.op, collapse(this.nodes(n.kids, frame, depth)));
      case 'info':
        switch (n.what) {
          case 'size':
            return String(data.graph.size + learnedCategoryCount(data, this.session));
          case 'vocabulary':
            return String(data.graph.vocabulary());
          case 'program':
            return PROGRAM_NAME;
          case 'id':
            return this.session.clientId;
        }
        return '';
      case 'date': {
        const format = this.attr(n.format, frame, depth) ?? DEFAULT_DATE_FORMAT;
        const zone = this.attr(n.timezone, frame, depth) ?? this.options.timeZone;
        return strftime(format, dateParts(this.now, zone), this.attr(n.locale, frame, depth));
      }
      case 'interval':
        return this.interval(n, frame, depth);
      case 'learn':
        this.learn(n, frame, depth);
        return '';
      case 'xml': {
        if (n.kids.length === 0) return `<${n.name}${n.attrs}/>`;
        return `<${n.name}${n.attrs}>${this.nodes(n.kids, frame, depth)}</${n.name}>`;
      }
    }
  }

  private sraix(n: Extract<TElement, { k: 'sraix' }>, frame: Frame, depth: number): string {
    const input = collapse(this.nodes(n.kids, frame, depth));
    const bot = this.attr(n.bot, frame, depth);
    if (bot !== undefined && this.options.sraix) {
      this.checkTime();
      const answer = this.options.sraix(bot.includes('/') ? bot.slice(bot.lastIndexOf('/') + 1) : bot, input, this.session);
      if (answer !== undefined) return answer;
    }
    if (n.fallback !== undefined) return this.attr(n.fallback, frame, depth)!;
    // Program AB's convention: a bot may define SRAIXFAILED * to answer when another bot could not.
    return this.guardedSrai(input.length > 0 ? `SRAIXFAILED ${input}` : 'SRAIXFAILED', depth);
  }

  private map(name: string, key: string): string {
    const lower = name.trim().toLowerCase();
    const fromFile = this.data.maps.get(lower)?.get(key.toUpperCase());
    if (fromFile !== undefined) return fromFile;
    return builtinMap(lower, key) ?? this.data.defaultMap;
  }

  private history(which: 'input' | 'that' | 'request' | 'response', indexText: string): string {
    const [first, second] = indexText.split(',').map((s) => s.trim());
    const n = Math.max(1, parseInt(first ?? '1', 10) || 1);
    const s = this.session;
    switch (which) {
      case 'input':
        return s.inputs[s.inputs.length - n] ?? '';
      case 'request':
        return s.requests[s.requests.length - n] ?? '';
      case 'response':
        return s.responses[s.responses.length - n] ?? '';
      case 'that': {
        const response = s.responses[s.responses.length - n];
        if (response === undefined) return '';
        if (second === '*') return collapse(response);
        const sentences = this.data.normalizer.splitSentences(response).map(collapse).filter((x) => x.length > 0);
        const m = Math.max(1, parseInt(second ?? '1', 10) || 1);
        return sentences[sentences.length - m] ?? '';
      }
    }
  }

  private interval(n: Extract<TElement, { k: 'interval' }>, frame: Frame, depth: number): string {
    const format = this.attr(n.format, frame, depth) ?? '%B %d, %Y';
    const style = this.attr(n.style, frame, depth) ?? 'days';
    const reference = dateParts(this.now, this.options.timeZone);
    const parse = (text: string | undefined): number | undefined => {
      if (text === undefined || text.trim() === '') return this.now;
      const parsed = strptime(text, format, reference);
      if (parsed !== undefined) return parsed;
      const loose = Date.parse(text);
      return Number.isNaN(loose) ? undefined : loose;
    };
    const from = parse(this.attr(n.from, frame, depth));
    const to = parse(this.attr(n.to, frame, depth));
    if (from === undefined || to === undefined) return this.data.defaultGet;
    return String(intervalBetween(from, to, style));
  }

  private condition(spec: ConditionSpec, frame: Frame, depth: number): string {
    const outer = this.loopRequested;
    let out = '';
    try {
      for (let iteration = 0; ; iteration++) {
        this.loopRequested = false;
        out += this.conditionOnce(spec, frame, depth);
        if (!this.loopRequested) break;
        if (iteration + 1 >= this.limits.maxLoopIterations) {
          this.notes.push(`a <condition> stopped after ${this.limits.maxLoopIterations} loops`);
          break;
        }
        this.checkTime();
        if (out.length > this.limits.maxOutputChars) {
          throw new LimitReached('count', `the answer grew past ${this.limits.maxOutputChars} characters`);
        }
      }
    } finally {
      this.loopRequested = outer;
    }
    return out;
  }

  private conditionOnce(spec: ConditionSpec, frame: Frame, depth: number): string {
    if (spec.block !== undefined) {
      return this.test(spec.name, spec.varName, spec.value, frame, depth) ? this.nodes(spec.block, frame, depth) : '';
    }
    for (const item of spec.items ?? []) {
      if (item.value === undefined) return this.nodes(item.kids, frame, depth);
      const name = item.name ?? (item.varName === undefined ? spec.name : undefined);
      const varName = item.varName ?? (item.name === undefined ? spec.varName : undefined);
      if (this.test(name, varName, item.value, frame, depth)) return this.nodes(item.kids, frame, depth);
    }
    return '';
  }

  private test(name: Attr | undefined, varName: Attr | undefined, value: Attr | undefined, frame: Frame, depth: number): boolean {
    if (value === undefined) return false;
    const expected = collapse(this.attr(value, frame, depth)!);
    let actual: string | undefined;
    if (name !== undefined) {
      const key = this.attr(name, frame, depth)!;
      actual = this.session.predicates.get(key) ?? this.data.pdefaults.get(key);
    } else if (varName !== undefined) {
      actual = frame.vars?.get(this.attr(varName, frame, depth)!);
    } else return false;
    // Pandorabots: value="*" is "any value other than an empty string", so an unset predicate does not match.
    if (expected === '*') return actual !== undefined && actual.trim().length > 0;
    return collapse(actual ?? this.data.defaultGet).toUpperCase() === expected.toUpperCase();
  }

  private learn(n: Extract<TElement, { k: 'learn' }>, frame: Frame, depth: number): void {
    const failedBefore = this.failedSrai;
    const content = substituteEvals(n.content, (el) => {
      const compiled = n.evals.get(el);
      return compiled === undefined ? undefined : collapse(this.nodes(compiled, frame, depth));
    });
    if (this.failedSrai !== failedBefore) {
      this.notes.push('a <learn> was skipped: an <eval> in it came from a srai that hit the depth limit');
      return;
    }
    for (const c of content) {
      if (c.type !== 'element' || c.name !== 'category') continue;
      const problems: string[] = [];
      const read = readCategory(c, undefined, { property: (p) => this.data.properties.get(p) }, (_o, message, severity) => {
        if (severity === 'error') problems.push(message);
      });
      if (!read || problems.length > 0) {
        this.notes.push(`could not learn a category: ${problems.join('; ') || 'invalid category'}`);
        continue;
      }
      const outcome = n.global ? learnForEveryone(this.data, read) : learnForClient(this.session, read, this.limits.maxLearnedPerClient);
      if (!outcome.ok) this.notes.push(outcome.reason);
    }
  }
}

/** A LimitReached for what abandoned a sentence (a stack overflow counts as the depth limit). */
function asLimit(e: unknown): LimitReached {
  if (e instanceof LimitReached) return e;
  if (e instanceof RangeError) return new LimitReached('depth', 'the answer nested too deeply (stack limit)');
  throw e;
}

/**
 * The reply: the sentences' answers joined with one space, empty ones left out, and a fallback answer (the
 * default category's, or the no-match text) said once even when several sentences fell back to the same words.
 */
function replyText(replies: readonly SentenceReply[]): string {
  let text = '';
  let fallbacks: string[] | undefined;
  for (const r of replies) {
    if (r.text.length === 0) continue;
    if (r.match.defaultCategory || r.match.noMatch) {
      if (fallbacks?.includes(r.text)) continue;
      (fallbacks ??= []).push(r.text);
    }
    text = text.length === 0 ? r.text : `${text} ${r.text}`;
  }
  return text;
}

function textOp(op: string, text: string): string {
  switch (op) {
    case 'uppercase':
      return text.toUpperCase();
    case 'lowercase':
      return text.toLowerCase();
    case 'formal':
      return text.replace(/\S+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
    case 'sentence':
      return text.charAt(0).toUpperCase() + text.slice(1);
    case 'explode':
      return [...text.replace(/\s+/g, '')].join(' ');
    case 'first': {
      const words = text.split(' ').filter((w) => w.length > 0);
      return words[0] ?? 'NIL';
    }
    case 'rest': {
      const words = text.split(' ').filter((w) => w.length > 0);
      return words.length <= 1 ? 'NIL' : words.slice(1).join(' ');
    }
    default:
      return text;
  }
}
