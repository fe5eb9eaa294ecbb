import { readFileSync } from 'node:fs';
import { LiveTrainingSettings, LiveTrainingSettingsPatch } from '../../protocol/bot-settings.js';
import type { StorageReads, StorageTx } from '../storage/storage.js';
import { resourcePath } from '../resources/resource-root.js';
import { defaultBotEngineLimits } from './engine-limits.js';

/** resources/live-training-defaults.json, validated: a broken defaults file stops the Platform at start, loudly. */
export function loadDefaultSettings(file = resourcePath('live-training-defaults.json')): LiveTrainingSettings {
  const parsed = LiveTrainingSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not valid Live Training settings: ${parsed.error.message}`);
  return parsed.data;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars replace. */
function merge(base: unknown, patch: unknown): unknown {
  if (!isPlain(base) || !isPlain(patch)) return patch === undefined ? base : patch;
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = merge(base[k], v);
  return out;
}

/**
 * Per-bot Live Training settings: the shipped defaults with each bot's own changes on top. Only the changes are
 * stored, so a bot that never touched a text follows the defaults of the running version. Read on every message, so
 * `get` answers from memory: the Platform loads each bot's settings (`load`) before the bot talks.
 */
export class LiveTrainingSettingsStore {
  private readonly cache = new Map<string, LiveTrainingSettings>();
  /** When each bot's stored settings were last re-read for the origin check (real time). */
  private readonly originsCheckedAt = new Map<string, number>();
  /** Called when a re-read finds settings changed by another process (the `widget-origins` CLI command). */
  onExternalChange?: (bot: string, settings: LiveTrainingSettings) => void;
  /** A background re-read failed (the database is unreachable): the settings in memory stay in force. */
  onReadError?: (bot: string, error: unknown) => void;

  constructor(
    private readonly storage: StorageReads,
    private readonly defaults: LiveTrainingSettings,
    /** Overrides the default timeout (startPlatform's defaultInactivityTimeoutMs), e.g. for end-to-end tests. */
    private readonly defaultInactivityTimeoutMs?: number,
  ) {}

  /** Reads the bots' stored settings into memory (at start, and when a bot appears). */
  async load(bots: readonly string[]): Promise<void> {
    for (const bot of bots) this.cache.set(bot, this.effective(bot, await this.storage.settingsOverrides(bot)));
  }

  /**
   * The bot's settings. A bot not loaded yet (it appeared a moment ago) gets the defaults now and its stored settings
   * from the next call on, once they are read.
   */
  get(bot: string): LiveTrainingSettings {
    const settings = this.cache.get(bot);
    if (settings) return settings;
    void this.load([bot]).catch((error: unknown) => this.onReadError?.(bot, error));
    return this.effective(bot, {});
  }

  /**
   * The bot's allowed origins, re-read from the database at most every `maxAgeMs`: the `widget-origins` CLI command
   * changes them from another process while the Platform runs, and the owner expects that to apply within seconds.
   * The re-read runs in the background: its answer applies from the next check.
   */
  allowedOrigins(bot: string, maxAgeMs = 2_000, now = Date.now()): readonly string[] {
    const checked = this.originsCheckedAt.get(bot);
    if (checked === undefined || now - checked >= maxAgeMs) {
      this.originsCheckedAt.set(bot, now);
      void this.reread(bot).catch((error: unknown) => this.onReadError?.(bot, error));
    }
    return this.get(bot).allowedOrigins;
  }

  private async reread(bot: string): Promise<void> {
    const fresh = this.effective(bot, await this.storage.settingsOverrides(bot));
    const before = this.cache.get(bot);
    if (before && JSON.stringify(before) !== JSON.stringify(fresh)) {
      this.cache.set(bot, fresh);
      this.onExternalChange?.(bot, fresh);
    } else if (!before) this.cache.set(bot, fresh);
  }

  /**
   * Notes, in the caller's transaction, that a page on `origin` was refused the bot's widget: the newest refusals
   * first, one entry per site, at most 10. Returns the settings with it (designers get them in `settings.updated`).
   */
  async recordRefusedOrigin(tx: StorageTx, bot: string, origin: string, at: number): Promise<LiveTrainingSettings> {
    const overrides = ((await tx.settingsOverrides(bot)) ?? {}) as { refusedOrigins?: Array<{ origin: string; at: number; count: number }> };
    const earlier = Array.isArray(overrides.refusedOrigins) ? overrides.refusedOrigins : [];
    const same = earlier.find((r) => r.origin === origin);
    const refusedOrigins = [{ origin, at, count: (same?.count ?? 0) + 1 }, ...earlier.filter((r) => r.origin !== origin)].slice(0, 10);
    const next = { ...overrides, refusedOrigins };
    const settings = this.effective(bot, next);
    await tx.setSettingsOverrides(bot, next);
    tx.afterCommit(() => this.cache.set(bot, settings));
    return settings;
  }

  /** Validates the patch and the result, in the caller's transaction; throws a zod error naming the bad field, storing nothing. */
  async update(tx: StorageTx, bot: string, patch: LiveTrainingSettingsPatch): Promise<LiveTrainingSettings> {
    const checked = LiveTrainingSettingsPatch.parse(patch);
    const overrides = merge(await tx.settingsOverrides(bot), checked);
    const settings = this.effective(bot, overrides);
    await tx.setSettingsOverrides(bot, overrides);
    tx.afterCommit(() => this.cache.set(bot, settings));
    return settings;
  }

  private effective(bot: string, overrides: unknown): LiveTrainingSettings {
    const base: LiveTrainingSettings = structuredClone(this.defaults);
    if (this.defaultInactivityTimeoutMs !== undefined) base.inactivityTimeoutMs = this.defaultInactivityTimeoutMs;
    // An empty title in the defaults means "the bot's name".
    if (base.appearance.title === '') base.appearance.title = bot;
    if (base.landingPage.title === '') base.landingPage.title = bot;
    base.engineLimits ??= defaultBotEngineLimits();
    return LiveTrainingSettings.parse(merge(base, overrides));
  }
}
