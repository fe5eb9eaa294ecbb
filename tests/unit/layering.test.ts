import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md section 2, checked on the raw source text so that dynamic import() and require() cannot slip past
// the linter's static view.
const root = resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|tsx|cts|mts)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function sourceFiles(folder: string): string[] {
  const dir = join(root, folder);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(root, path));
    return SOURCE.test(name) ? [relative(root, path)] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) => m[1]!);
}

/** The top-level folder a relative specifier lands in, or undefined for a package import. */
function targetFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(root, resolve(dirname(join(root, file)), specifier)).split(/[\\/]/)[0];
}

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isNodeModule = (s: string) => nodeBuiltins.has(s) || ['ws', 'better-sqlite3', 'conf', 'electron-store', 'pino', 'xmlbuilder2'].includes(s);

// Which of our folders each folder may import (besides itself).
// node-lib/ holds the Node-only utilities (atomic file writes) that aiml/, server/, main/ and electron/ share.
const allowed: Record<string, string[]> = {
  protocol: [],
  'node-lib': [],
  aiml: ['node-lib'],
  server: ['aiml', 'protocol', 'resources', 'node-lib'],
  main: ['aiml', 'protocol', 'resources', 'node-lib'],
  electron: ['main', 'protocol', 'resources', 'node-lib'],
  preload: ['protocol'],
  renderer: ['protocol'],
};
// The one place where Studio composes an embedded Platform: it needs the server, nothing else in main/ does.
const EMBEDDED_PLATFORM = 'main/embedded-platform.ts';

/** Why importing `spec` from `file` (in `folder`) breaks the layering, or undefined when it may. */
function folderOffence(folder: string, file: string, spec: string): string | undefined {
  const target = targetFolder(file, spec);
  if (target === undefined || target === folder) return undefined;
  if (file === EMBEDDED_PLATFORM && target === 'server') return undefined;
  return allowed[folder]!.includes(target) ? undefined : `${file} imports ${spec} (${target}/)`;
}

describe('layering (DESIGN.md section 2)', () => {
  const violations = (folder: string, check: (file: string, spec: string) => string | undefined) =>
    sourceFiles(folder).flatMap((file) => importsOf(file).map((spec) => check(file, spec)).filter((v): v is string => !!v));

  it('only electron/ and preload/ import electron', () => {
    const offenders = ['aiml', 'protocol', 'node-lib', 'server', 'main', 'renderer', 'bench'].flatMap((folder) =>
      violations(folder, (file, spec) => (spec === 'electron' || spec.startsWith('electron/') ? `${file} imports ${spec}` : undefined)),
    );
    expect(offenders).toEqual([]);
  });

  it('renderer/ and protocol/ import no Node module', () => {
    const offenders = ['renderer', 'protocol'].flatMap((folder) =>
      violations(folder, (file, spec) => (isNodeModule(spec) ? `${file} imports ${spec}` : undefined)),
    );
    expect(offenders).toEqual([]);
  });

  it.each(Object.keys(allowed))('%s/ imports only the folders it depends on', (folder) => {
    const offenders = violations(folder, (file, spec) => folderOffence(folder, file, spec));
    expect(offenders).toEqual([]);
  });

  it('renderer/ and protocol/ cannot import node-lib/ (it is Node-only)', () => {
    expect(folderOffence('renderer', 'renderer/src/App.tsx', '../../node-lib/atomic-write.js')).toMatch(/node-lib/);
    expect(folderOffence('protocol', 'protocol/clock.ts', '../node-lib/atomic-write.js')).toMatch(/node-lib/);
    // ...while the Node layers may.
    expect(folderOffence('server', 'server/bots/bot-store.ts', '../../node-lib/atomic-write.js')).toBeUndefined();
    expect(folderOffence('aiml', 'aiml/loader.ts', '../node-lib/atomic-write.js')).toBeUndefined();
  });

  it('catches a violation when one is present', () => {
    // Guards the scanner itself: a regex that matched nothing would make every check above pass.
    expect(importsOf('tests/unit/layering.test.ts')).toContain('node:fs');
    expect(targetFolder('renderer/src/App.tsx', '../../server/x.js')).toBe('server');
  });
});
