/**
 * <learn> and <learnf>.
 * - learn: the categories belong to one client (its Session); they are compiled into a small graph of
 *   their own, matched next to the bot's graph (the better match wins, the learned one on a tie).
 * - learnf: the categories are global to every client of the bot, take effect at once, and are appended
 *   to the learn file (`learn-filename`, default pand_learn.aiml) through the bot's sink, within
 *   `max-learn-file-size`.
 */
import { readCategory, toCategory, type ReadCategory } from './aiml-reader.js';
import type { BotData } from './bot-data.js';
import { tokensFromText, tokensToXml } from './category.js';
import { Matcher, PatternGraph } from './pattern-graph.js';
import type { LearnedCategorySource, Session } from './session.js';
import { parseXml, serializeXml, type XmlElement, type XmlNode } from './xml.js';

export const LEARN_FILE_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n';
export const LEARN_FILE_FOOTER = '</aiml>\n';

interface LearnedGraph {
  graph: PatternGraph;
  matcher: Matcher;
}

/** The source form of a read category, as stored in a Session and written to the learn file. */
export function sourceOf(read: ReadCategory): LearnedCategorySource {
  const source: LearnedCategorySource = { pattern: tokensToXml(read.pattern), template: serializeXml(read.templateElement.children) };
  if (read.that) source.that = tokensToXml(read.that);
  if (read.topic) source.topic = tokensToXml(read.topic);
  return source;
}

export function categoryXml(source: LearnedCategorySource): string {
  let xml = `<category><pattern>${source.pattern}</pattern>`;
  if (source.that !== undefined) xml += `<that>${source.that}</that>`;
  if (source.topic !== undefined) xml += `<topic>${source.topic}</topic>`;
  return xml + `<template>${source.template}</template></category>`;
}

/** Reads a stored learned category back (a Session restored from JSON, or used with a newer Bot). */
function readSource(data: BotData, source: LearnedCategorySource): ReadCategory | undefined {
  const doc = parseXml(categoryXml(source));
  if (doc.hasErrors || !doc.root) return undefined;
  let failed = false;
  const read = readCategory(doc.root, undefined, { property: (n) => data.properties.get(n) }, (_o, _m, severity) => {
    if (severity === 'error') failed = true;
  });
  return failed ? undefined : read;
}

/** The compiled graph of a session's learned categories for this bot, or undefined when there are none. */
export function learnedGraph(data: BotData, session: Session): LearnedGraph | undefined {
  if (session.learned.length === 0) return undefined;
  const cache = session.learnedCache;
  if (cache && cache.owner === data && cache.count === session.learned.length) return cache.graph as LearnedGraph;
  let learned: LearnedGraph;
  let from = 0;
  if (cache && cache.owner === data && cache.count < session.learned.length) {
    learned = cache.graph as LearnedGraph;
    from = cache.count;
  } else {
    const graph = new PatternGraph();
    learned = { graph, matcher: new Matcher(graph) };
  }
  for (let i = from; i < session.learned.length; i++) {
    const source = session.learned[i]!;
    const read = readSource(data, source);
    if (!read) continue;
    const category = toCategory(read, `learned by ${session.clientId}`, 0, source.template, 'learn', { start: 0, end: source.template.length });
    learned.graph.add(category, read.pattern, read.that, read.topic, (n) => data.resolveSet(n));
  }
  session.learnedCache = { owner: data, count: session.learned.length, graph: learned };
  return learned;
}

/**
 * How many categories this client's <learn> added to what it talks to (for <size/>): a learned category with the
 * pattern, that and topic of one of the bot's replaces it for this client rather than adding one.
 */
export function learnedCategoryCount(data: BotData, session: Session): number {
  const learned = learnedGraph(data, session);
  if (learned === undefined) return 0;
  let count = 0;
  for (const c of learned.graph.categories()) {
    if (data.graph.find(tokensFromText(c.pattern), tokensFromText(c.that), tokensFromText(c.topic)) === undefined) count++;
  }
  return count;
}

export type LearnOutcome = { ok: true } | { ok: false; reason: string };

/** Adds one learned category for one client, up to `cap` (the maxLearnedPerClient limit) per client. */
export function learnForClient(session: Session, read: ReadCategory, cap: number): LearnOutcome {
  if (session.learned.length >= cap) {
    return { ok: false, reason: `this client already learned ${cap} categories` };
  }
  session.learned.push(sourceOf(read));
  return { ok: true };
}

/** Adds one category for every client and appends it to the learn file. */
export function learnForEveryone(data: BotData, read: ReadCategory): LearnOutcome {
  const source = sourceOf(read);
  const xml = categoryXml(source);
  const store = data.learnf;
  const text = learnFileText([...store.categoriesXml, xml]);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > store.maxBytes) {
    return { ok: false, reason: `the learn file ${store.fileName} would grow past max-learn-file-size (${store.maxBytes} bytes)` };
  }
  const category = toCategory(read, `aiml/${store.fileName}`, 0, source.template, 'learnf', { start: 0, end: source.template.length });
  data.graph.add(category, read.pattern, read.that, read.topic, (n) => data.resolveSet(n));
  store.categoriesXml.push(xml);
  if (store.sink && store.sink(store.fileName, text) === false) {
    return { ok: false, reason: `learned, but ${store.fileName} could not be written` };
  }
  return { ok: true };
}

export function learnFileText(categoriesXml: readonly string[]): string {
  return LEARN_FILE_HEADER + categoriesXml.map((c) => `  ${c}\n`).join('') + LEARN_FILE_FOOTER;
}

/** Copies learn content, replacing each <eval> element by the text it evaluates to. */
export function substituteEvals(nodes: readonly XmlNode[], evaluate: (el: XmlElement) => string | undefined): XmlNode[] {
  return nodes.map((n): XmlNode => {
    if (n.type === 'text') return n;
    const value = evaluate(n);
    if (value !== undefined) return { type: 'text', text: value, start: n.start } as XmlNode;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(n) as object) as XmlElement, n);
    copy.children = substituteEvals(n.children, evaluate);
    return copy;
  });
}
