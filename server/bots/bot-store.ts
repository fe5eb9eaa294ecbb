import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { isTempFileName, removeTempFiles, syncDirectorySync, writeFileAtomicSync } from '../../node-lib/atomic-write.js';
import { checkFileContent } from './bot-file-formats.js';
import {
  type BotFileRef,
  FILE_KINDS,
  displayNameOf,
  fileRefFromRelativePath,
  isValidBotName,
  kindFolder,
  relativePathOf,
} from './bot-file-names.js';
import { botExists, fileNotFound, unknownBot } from './errors.js';

const TRASH_PREFIX = '.trash-';

/**
 * The bots' source files on disk: `<root>/<bot>/` in the Pandorabots layout, exactly as uploaded (the "sandbox"
 * in Pandorabots' words). What runs is a compiled copy (see live-versions.ts), so nothing here can take a running
 * bot down. Every path is built from a validated bot name and file ref, and checked to stay inside the bot's
 * directory.
 */
export class BotStore {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
    this.removeLeftovers();
  }

  botDir(bot: string): string {
    if (!isValidBotName(bot)) throw unknownBot(bot);
    return join(this.root, bot);
  }

  exists(bot: string): boolean {
    return isValidBotName(bot) && existsSync(join(this.root, bot));
  }

  /** Every bot with a directory, compiled or not, sorted by name. */
  list(): string[] {
    return readdirSync(this.root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && isValidBotName(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  /** Create a bot with its first files (relative paths in the Pandorabots layout). Throws the bot store error bot_exists. */
  create(bot: string, files: Record<string, string | Uint8Array>): void {
    const dir = this.botDir(bot);
    if (existsSync(dir)) throw botExists(bot);
    // Build the bot under a temp name and rename it into place, so a crash never leaves half a bot.
    const staging = join(this.root, `${TRASH_PREFIX}new-${bot}-${randomBytes(4).toString('hex')}`);
    for (const kind of FILE_KINDS) mkdirSync(join(staging, kindFolder(kind)), { recursive: true });
    for (const [relative, content] of Object.entries(files)) {
      const ref = fileRefFromRelativePath(bot, relative);
      if (!ref) throw new Error(`not a bot file path: ${relative}`);
      writeFileAtomicSync(this.inside(staging, relativePathOf(bot, ref)), content);
    }
    renameSync(staging, dir);
    syncDirectorySync(this.root);
  }

  /**
   * Delete a bot and all its files. The directory is renamed away at once, so the bot vanishes in one step; the
   * returned promise settles when its files are gone (removed asynchronously: a large bot takes a while).
   */
  delete(bot: string): Promise<void> {
    const dir = this.botDir(bot);
    if (!existsSync(dir)) throw unknownBot(bot);
    const trash = join(this.root, `${TRASH_PREFIX}${bot}-${randomBytes(4).toString('hex')}`);
    renameSync(dir, trash);
    syncDirectorySync(this.root);
    return rm(trash, { recursive: true, force: true });
  }

  /** The bot's files the API serves, in a stable order (kind, then name). */
  listFiles(bot: string): BotFileRef[] {
    const dir = this.requireBot(bot);
    const refs: BotFileRef[] = [];
    const seen = new Set<string>();
    for (const kind of FILE_KINDS) {
      const folder = kindFolder(kind);
      if (seen.has(folder)) continue;
      seen.add(folder);
      let names: string[];
      try {
        names = readdirSync(join(dir, folder)).sort();
      } catch {
        continue;
      }
      for (const name of names) {
        if (isTempFileName(name)) continue;
        const ref = fileRefFromRelativePath(bot, `${folder}/${name}`);
        if (ref && lstatSync(join(dir, folder, name)).isFile()) refs.push(ref);
      }
    }
    return refs.sort((a, b) => FILE_KINDS.indexOf(a.kind) - FILE_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name));
  }

  hasFile(bot: string, ref: BotFileRef): boolean {
    const path = this.inside(this.requireBot(bot), relativePathOf(bot, ref));
    return existsSync(path) && lstatSync(path).isFile();
  }

  read(bot: string, ref: BotFileRef): Buffer {
    const path = this.inside(this.requireBot(bot), relativePathOf(bot, ref));
    if (!existsSync(path) || !lstatSync(path).isFile()) throw fileNotFound(bot, displayNameOf(bot, ref));
    return readFileSync(path);
  }

  /** Write (create or overwrite) a file atomically after checking its content. Throws `bad_file_content`. */
  write(bot: string, ref: BotFileRef, content: Uint8Array): void {
    const dir = this.requireBot(bot);
    checkFileContent(ref.kind, content);
    const path = this.inside(dir, relativePathOf(bot, ref));
    mkdirSync(join(dir, kindFolder(ref.kind)), { recursive: true });
    writeFileAtomicSync(path, content);
  }

  remove(bot: string, ref: BotFileRef): void {
    const dir = this.requireBot(bot);
    const path = this.inside(dir, relativePathOf(bot, ref));
    if (!existsSync(path) || !lstatSync(path).isFile()) throw fileNotFound(bot, displayNameOf(bot, ref));
    unlinkSync(path);
    syncDirectorySync(join(dir, kindFolder(ref.kind)));
  }

  /** All served files as `{ displayName: bytes }` (for the zip download), in listing order. */
  readAll(bot: string): Array<{ name: string; ref: BotFileRef; content: Buffer }> {
    return this.listFiles(bot).map((ref) => ({ name: displayNameOf(bot, ref), ref, content: this.read(bot, ref) }));
  }

  private requireBot(bot: string): string {
    const dir = this.botDir(bot);
    if (!existsSync(dir)) throw unknownBot(bot);
    return dir;
  }

  /** Join and make sure the result is still inside `dir` (defence in depth: refs are validated already). */
  private inside(dir: string, relative: string): string {
    const path = resolve(dir, relative);
    if (!path.startsWith(resolve(dir) + sep)) throw new Error(`refusing a path outside the bot directory: ${relative}`);
    return path;
  }

  /** A crash can leave a renamed-away bot, a half-built new one, or the temp file of a write: finish the job. */
  private removeLeftovers(): void {
    for (const name of readdirSync(this.root)) {
      if (name.startsWith(TRASH_PREFIX)) rmSync(join(this.root, name), { recursive: true, force: true });
    }
    removeTempFiles(this.root, 2);
  }
}
