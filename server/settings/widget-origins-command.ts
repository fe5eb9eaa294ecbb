import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BotName } from '../../protocol/conversation.js';
import { ANY_SITE, describeOriginPolicy, normaliseOrigin } from '../chat/origin-policy.js';
import { SqliteStorage } from '../storage/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import { LiveTrainingSettingsStore, loadDefaultSettings } from './live-training-settings.js';

/** A mistake in the command (unknown bot, bad origin): shown with the usage, nothing is changed. */
export class WidgetOriginsError extends Error {}

export interface WidgetOriginsChange {
  dataDir: string;
  bot: string;
  /** Sites to add; the widget then works only on the listed sites. */
  allow: string[];
  remove: string[];
  /** Any site again (the list is kept for the next restriction). */
  any: boolean;
  /** The Platform's PostgreSQL (`--database`), instead of the data folder's SQLite; the caller closes it. */
  database?: { storage: Storage; where: string };
}

/**
 * The `widget-origins` CLI command: reads, and with flags changes, which sites may show a bot's Chat Widget, in the
 * data folder (a running Platform re-reads it within seconds). Returns what to print: the policy now in force.
 */
export async function changeWidgetOrigins(c: WidgetOriginsChange): Promise<string> {
  if (!BotName.safeParse(c.bot).success) throw new WidgetOriginsError(`"${c.bot}" is not a bot name (3-64 lowercase letters and digits)`);
  const file = join(c.dataDir, 'platform.sqlite');
  if (c.database) {
    if (!(await c.database.storage.botNames()).includes(c.bot)) throw new WidgetOriginsError(`there is no bot named ${c.bot} in ${c.database.where}`);
  } else {
    if (!existsSync(file)) throw new WidgetOriginsError(`no Platform data in ${c.dataDir}: give the right --data DIR`);
    if (!existsSync(join(c.dataDir, 'bots', c.bot))) throw new WidgetOriginsError(`there is no bot named ${c.bot} in ${c.dataDir}`);
  }
  if (c.any && c.allow.length > 0) throw new WidgetOriginsError('--any lets every site show the widget; --allow restricts it to listed sites: use one of them');
  let allow: string[];
  let remove: string[];
  try {
    allow = c.allow.map(normaliseOrigin);
    remove = c.remove.map(normaliseOrigin);
  } catch (error) {
    throw new WidgetOriginsError((error as Error).message);
  }
  if (allow.includes(ANY_SITE)) throw new WidgetOriginsError('to let any site show the widget, use --any');

  const storage = c.database?.storage ?? new SqliteStorage({ file, groupCommit: false });
  try {
    const settings = new LiveTrainingSettingsStore(storage, loadDefaultSettings());
    await settings.load([c.bot]);
    const before = settings.get(c.bot).allowedOrigins;
    if (!c.any && allow.length === 0 && remove.length === 0) return describeOriginPolicy(c.bot, before);
    const unknown = remove.filter((o) => o !== ANY_SITE && !before.includes(o));
    if (unknown.length) throw new WidgetOriginsError(`${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not on the list of ${c.bot}; the list is: ${before.join(', ') || '(empty)'}`);
    let next = before.filter((o) => !remove.includes(o));
    // Listing a site means "only the listed sites": the wildcard goes.
    if (allow.length) next = [...next.filter((o) => o !== ANY_SITE), ...allow.filter((o) => !next.includes(o))];
    if (c.any && !next.includes(ANY_SITE)) next = [ANY_SITE, ...next];
    const after = (await storage.transaction((tx) => settings.update(tx, c.bot, { allowedOrigins: next }))).allowedOrigins;
    return describeOriginPolicy(c.bot, after);
  } finally {
    if (!c.database) await storage.close();
  }
}
