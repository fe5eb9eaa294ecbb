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

export interface PairsResult {
  pairs: Array<[string, string]>;
  problems: Problem[];
}

export interface PhrasesResult {
  phrases: string[];
  problems: Problem[];
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

export function readPhrases(text: string): PhrasesResult {
  const problems: Problem[] = [];
  const phrases: string[] = [];
  if (looksLikeJson(text)) {
    const { value, problem } = parseJson(text);
    if (problem) return { phrases, problems: [problem] };
    if (!Array.isArray(value)) return { phrases, problems: [{ line: 1, message: 'a set must be a JSON array of rows' }] };
    const rows = jsonRowLines(text);
    value.forEach((row: unknown, i) => {
      if (typeof row === 'string') phrases.push(row);
      else if (Array.isArray(row) && row.length > 0 && row.every((w) => typeof w === 'string')) phrases.push(row.join(' '));
      else problems.push({ line: rows[i] ?? 1, message: 'a set row must be a string or an array of words' });
    });
  } else {
    text.split(/\r?\n/).forEach((line) => {
      const t = line.trim();
      if (t.length > 0) phrases.push(t);
    });
  }
  return { phrases: phrases.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p.length > 0), problems };
}

/** JSON `[[a, b], ...]`, or text lines `a:b` (maps, properties, pdefaults). */
export function readKeyValues(text: string, what: string): PairsResult {
  const problems: Problem[] = [];
  const pairs: Array<[string, string]> = [];
  if (looksLikeJson(text)) {
    const { value, problem } = parseJson(text);
    if (problem) return { pairs, problems: [problem] };
    if (Array.isArray(value)) {
      const rows = jsonRowLines(text);
      value.forEach((row: unknown, i) => {
        if (Array.isArray(row) && row.length === 2 && typeof row[0] === 'string' && (typeof row[1] === 'string' || typeof row[1] === 'number')) {
          pairs.push([row[0], String(row[1])]);
        } else problems.push({ line: rows[i] ?? 1, message: `a ${what} row must be [name, value] with two strings` });
      });
    } else if (value !== null && typeof value === 'object') {
      // Tolerate an object form {"name": "value"}.
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v === 'string' || typeof v === 'number') pairs.push([k, String(v)]);
        else problems.push({ line: 1, message: `the value of '${k}' must be a string` });
      }
    } else problems.push({ line: 1, message: `a ${what} file must be a JSON array of [name, value] rows` });
    return { pairs, problems };
  }
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t.length === 0 || t.startsWith('#')) return;
    const colon = t.indexOf(':');
    if (colon <= 0) {
      problems.push({ line: i + 1, message: `expected 'name:value' in this ${what} line` });
      return;
    }
    pairs.push([t.slice(0, colon).trim(), t.slice(colon + 1).trim()]);
  });
  return { pairs, problems };
}

/** JSON `[[from, to], ...]` (kept exactly, spaces included), or text lines `"from","to"`. */
export function readSubstitutions(text: string): PairsResult {
  if (looksLikeJson(text)) return readKeyValues(text, 'substitution');
  const problems: Problem[] = [];
  const pairs: Array<[string, string]> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim().length === 0 || line.trim().startsWith('#')) return;
    const m = /^\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (m) pairs.push([m[1]!.replace(/\\(.)/g, '$1'), m[2]!.replace(/\\(.)/g, '$1')]);
    else problems.push({ line: i + 1, message: 'expected "from","to" in this substitution line' });
  });
  return { pairs, problems };
}

export function toDiagnostics(file: string, problems: Problem[], severity: 'error' | 'warning' = 'error'): AimlDiagnostic[] {
  return problems.map((p) => ({ file, line: p.line, column: 1, message: p.message, severity }));
}
