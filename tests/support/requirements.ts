import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * What a test needs from outside the repository, and why it is missing when it is. vitest records no reason for a
 * skip, so a test that skips ends its title with `(skipped: REASON)`: `npm test` (scripts/test-report.mjs) reads the
 * reason from there, lists it, and in CI counts the skip as a failure.
 */
export interface Requirement {
  readonly met: boolean;
  /** Why it is not met (meaningless when it is). */
  readonly missing: string;
}

const requirement = (met: boolean, missing: string): Requirement => ({ met, missing });

/** ../shared/data: real third-party bots and inputs, read from where they are and never copied into the project. */
export const SHARED_DATA = resolve(import.meta.dirname, '../../../shared/data');

export const sharedBots: Requirement = requirement(
  existsSync(join(SHARED_DATA, 'aiml', 'rosie')) && existsSync(join(SHARED_DATA, 'aiml', 'alice-foundation')),
  `../shared/data is absent (no ${join(SHARED_DATA, 'aiml', 'rosie')} or alice-foundation)`,
);

export const unzipTool: Requirement = requirement(existsSync('/usr/bin/unzip'), 'the unzip tool is not installed (/usr/bin/unzip; Debian: apt-get install unzip)');

/** Every requirement met. */
export const allMet = (...needs: Requirement[]): boolean => needs.every((n) => n.met);

/** The title, with `(skipped: REASON)` appended when a requirement is not met. */
export function needing(title: string, ...needs: Requirement[]): string {
  const missing = needs.filter((n) => !n.met).map((n) => n.missing);
  return missing.length ? `${title} (skipped: ${missing.join('; ')})` : title;
}
