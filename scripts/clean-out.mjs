#!/usr/bin/env node
// Empties out/ before a build, so that files whose sources were deleted or renamed never linger there (electron-builder
// packages out/**). Test reports in out/test-results and the CI log survive.
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const out = resolve(import.meta.dirname, '..', 'out');
const KEEP = new Set(['test-results', 'ci-test.log']);
let entries = [];
try {
  entries = readdirSync(out);
} catch {
  process.exit(0);
}
for (const name of entries) if (!KEEP.has(name)) rmSync(join(out, name), { recursive: true, force: true });
