import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The starter bot's name: what a new user meets first, at `/chat/starter`. */
export const STARTER_BOT = 'starter';

/**
 * Where `resources/starter-bot` is, both when running from source (`tsx server/...`) and from the compiled
 * `out/server/...`: walk up to the repository root (the folder whose package.json is ours).
 */
export function starterBotSource(from: string = import.meta.dirname): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isOurPackage(pkg) && existsSync(join(dir, 'resources', 'starter-bot'))) {
      return join(dir, 'resources', 'starter-bot');
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find resources/starter-bot above ${from}`);
    dir = parent;
  }
}

function isOurPackage(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === 'live-training-studio';
  } catch {
    return false;
  }
}

/** The starter bot's files as `{ 'aiml/x.aiml': bytes, ... }` (Pandorabots layout), read from resources/. */
export function readStarterBotFiles(source = starterBotSource()): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const folder of readdirSync(source, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(source, folder.name), { withFileTypes: true })) {
      if (file.isFile()) files[`${folder.name}/${file.name}`] = readFileSync(join(source, folder.name, file.name));
    }
  }
  return files;
}
