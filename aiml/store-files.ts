/**
 * Readers for the non-AIML files of a bot: sets, maps, substitutions, properties and pdefaults, in
 * Pandorabots' JSON formats (`[["Air","Force","blue"]]`, `[[key, value]]`) and the classic text formats
 * (a phrase a line; `key:value`; `"from","to"`). Bad rows are reported and skipped; the rest loads.
 */
import type { AimlDiagnostic } from './types.js';

export interface Problem {
  line: number;
  message: string;
}

/** Called with each good row, in file order; `line` works out the row's 1-based line only when asked (warnings). */
export type OnPair = (key: string, value: string, line: () => number) => void;
export type OnPhrase = (phrase: string, line: () => number) => void;

/** Rows handled between two questions to `pause` (one row is about a microsecond). */
const ROWS_PER_CHECK = 256;

/**
 * Calls `each` for every item, yielding when `pause` asks for a break: a 2 MB set has 100,000 rows, too many
 * to handle in one go on a server's event loop.
 */
export function* eachInSlices<T>(items: readonly T[], each: (item: T, index: number) => void, pause?: () => boolean): Generator<void, void, void> {
  for (let i = 0; i < items.length; i++) {
    each(items[i]!, i);
    if (pause !== undefined && i % ROWS_PER_CHECK === ROWS_PER_CHECK - 1 && pause()) yield;
  }
}

function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('[') || t.startsWith('{');
}

/** The 1-based line of the n-th top-level row in a JSON array text (for messages about a bad row). */
function jsonRowLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      if (depth === 1) lines.push(line);
    } else if (c === 91 || c === 123) {
      if (depth === 1) lines.push(line);
      depth++;
    } else if (c === 93 || c === 125) depth--;
  }
  return lines;
}

function parseJson(text: string): { value?: unknown; problem?: Problem } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1;
    return { problem: { line, message: `not valid JSON: ${message}` } };
  }
}

/** A set: JSON rows (a phrase, or an array of its words), or a phrase a line. Phrases come out with single spaces. */
export function* readPhrases(text: string, onPhrase: OnPhrase, pause?: () => boolean): Generator<void, Problem[], void> {
  const problems: Problem[] = [];
  const add = (phrase: string, line: () => number) => {
    const p = phrase.replace(/\s+/g, ' ').trim();
    if (p.length > 0) onPhrase(p, line);
  };
  if (looksLikeJson(text)) {
    const { value, problem } = parseJson(text);
    if (problem) return [problem];
    if (!Array.isArray(value)) return [{ line: 1, message: 'a set must be a JSON array of rows' }];
    let rows: number[] | undefined;
    yield* eachInSlices(
      value,
      (row: unknown, i) => {
        const line = () => (rows ??= jsonRowLines(text))[i] ?? 1;
        if (typeof row === 'string') add(row, line);
        else if (Array.isArray(row) && row.length > 0 && row.every((w) => typeof w === 'string')) add(row.join(' '), line);
        else problems.push({ line: (rows ??= jsonRowLines(text))[i] ?? 1, message: 'a set row must be a string or an array of words' });
      },
      pause,
    );
  } else {
    yield* eachInSlices(text.split(/\r?\n/), (line, i) => add(line, () => i + 1), pause);
  }
  return problems;
}

/** JSON `[[a, b], ...]`, or text lines `a:b` (maps, properties, pdefaults). */
export function* readKeyValues(text: string, what: string, onPair: OnPair, pause?: () => boolean): Generator<void, Problem[], void> {
  const problems: Problem[] = [];
  if (looksLikeJson(text)) {
    const { value, problem } = parseJson(text);
    if (problem) return [problem];
    if (Array.isArray(value)) {
      let rows: number[] | undefined;
      yield* eachInSlices(
        value,
        (row: unknown, i) => {
          if (Array.isArray(row) && row.length === 2 && typeof row[0] === 'string' && (typeof row[1] === 'string' || typeof row[1] === 'number')) {
            onPair(row[0], String(row[1]), () => (rows ??= jsonRowLines(text))[i] ?? 1);
          } else problems.push({ line: (rows ??= jsonRowLines(text))[i] ?? 1, message: `a ${what} row must be [name, value] with two strings` });
        },
        pause,
      );
    } else if (value !== null && typeof value === 'object') {
      // Tolerate an object form {"name": "value"}.
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v === 'string' || typeof v === 'number') onPair(k, String(v), () => 1);
        else problems.push({ line: 1, message: `the value of '${k}' must be a string` });
      }
    } else problems.push({ line: 1, message: `a ${what} file must be a JSON array of [name, value] rows` });
    return problems;
  }
  yield* eachInSlices(
    text.split(/\r?\n/),
    (line, i) => {
      const t = line.trim();
      if (t.length === 0 || t.startsWith('#')) return;
      const colon = t.indexOf(':');
      if (colon <= 0) {
        problems.push({ line: i + 1, message: `expected 'name:value' in this ${what} line` });
        return;
      }
      onPair(t.slice(0, colon).trim(), t.slice(colon + 1).trim(), () => i + 1);
    },
    pause,
  );
  return problems;
}

/** JSON `[[from, to], ...]` (kept exactly, spaces included), or text lines `"from","to"`. */
export function* readSubstitutions(text: string, onPair: OnPair, pause?: () => boolean): Generator<void, Problem[], void> {
  if (looksLikeJson(text)) return yield* readKeyValues(text, 'substitution', onPair, pause);
  const problems: Problem[] = [];
  yield* eachInSlices(
    text.split(/\r?\n/),
    (line, i) => {
      if (line.trim().length === 0 || line.trim().startsWith('#')) return;
      const m = /^\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
      if (m) onPair(m[1]!.replace(/\\(.)/g, '$1'), m[2]!.replace(/\\(.)/g, '$1'), () => i + 1);
      else problems.push({ line: i + 1, message: 'expected "from","to" in this substitution line' });
    },
    pause,
  );
  return problems;
}

export function toDiagnostics(file: string, problems: Problem[], severity: 'error' | 'warning' = 'error'): AimlDiagnostic[] {
  return problems.map((p) => ({ file, line: p.line, column: 1, message: p.message, severity }));
}
