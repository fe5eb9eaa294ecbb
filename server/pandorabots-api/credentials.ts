import { createHash, randomBytes as cryptoRandomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../../node-lib/atomic-write.js';

/**
 * The API's secrets: one app id with its user key (Pandorabots' account credentials), and one public botkey per
 * bot (the browser-safe key of `/talk?botkey=...`). Kept in `<dataDir>/api-credentials.json` (mode 0600).
 */
export interface ApiCredentials {
  readonly appId: string;
  readonly userKey: string;
  readonly botKeys: BotKeys;
}

export interface BotKeys {
  /** The bot's public key, created (and saved) on first use. */
  keyFor(bot: string): string;
  /** The bot a public key belongs to, or undefined. */
  botFor(key: string): string | undefined;
  /** Forget a deleted bot's key, so a new bot of the same name gets a new one. */
  forget(bot: string): void;
}

export const CREDENTIALS_FILE = 'api-credentials.json';

const APP_ID = /^[A-Za-z0-9_-]{1,64}$/;
const USER_KEY = /^[A-Za-z0-9_-]{8,128}$/;

const Stored = z.object({
  appId: z.string().regex(APP_ID),
  userKey: z.string().regex(USER_KEY),
  botKeys: z.record(z.string(), z.string()).default({}),
});
type Stored = z.infer<typeof Stored>;

export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
}

export interface ResolveCredentialsOptions {
  dataDir: string;
  /** From `--app-id` or PLATFORM_APP_ID; overrides the stored one. */
  appId?: string;
  /** From `--user-key` or PLATFORM_USER_KEY; overrides the stored one. */
  userKey?: string;
  /** For tests: where random bytes come from. */
  randomBytes?: (n: number) => Buffer;
}

/**
 * The credentials the API checks. Given ones win; otherwise the stored ones; otherwise new ones are generated
 * and stored (`generated: true`, so the CLI prints them once). Pandorabots app ids look like `unXXXXXXXX`, user
 * keys are 32 hex digits.
 */
export function resolveApiCredentials(o: ResolveCredentialsOptions): { credentials: ApiCredentials; generated: boolean } {
  const random = o.randomBytes ?? cryptoRandomBytes;
  if (o.appId !== undefined && !APP_ID.test(o.appId)) {
    throw new CredentialsError(`the app id "${o.appId}" is not valid: use 1-64 letters, digits, "_" or "-"`);
  }
  if (o.userKey !== undefined && !USER_KEY.test(o.userKey)) {
    throw new CredentialsError('the user key is not valid: use 8-128 letters, digits, "_" or "-"');
  }
  mkdirSync(o.dataDir, { recursive: true });
  const path = join(o.dataDir, CREDENTIALS_FILE);
  const stored = readStored(path);
  let generated = false;
  const state: Stored = stored ?? { appId: '', userKey: '', botKeys: {} };
  if (o.appId !== undefined) state.appId = o.appId;
  else if (!stored) {
    state.appId = `un${random(4).toString('hex')}`;
    generated = true;
  }
  if (o.userKey !== undefined) state.userKey = o.userKey;
  else if (!stored) {
    state.userKey = random(16).toString('hex');
    generated = true;
  }
  const save = () => writeFileAtomicSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  if (!stored || stored.appId !== state.appId || stored.userKey !== state.userKey) save();

  const botKeys: BotKeys = {
    keyFor(bot) {
      let key = state.botKeys[bot];
      if (!key) {
        key = random(24).toString('base64url');
        state.botKeys[bot] = key;
        save();
      }
      return key;
    },
    botFor(key) {
      for (const [bot, candidate] of Object.entries(state.botKeys)) if (secretsEqual(candidate, key)) return bot;
      return undefined;
    },
    forget(bot) {
      if (state.botKeys[bot] === undefined) return;
      delete state.botKeys[bot];
      save();
    },
  };
  return { credentials: { appId: state.appId, userKey: state.userKey, botKeys }, generated };
}

function readStored(path: string): Stored | undefined {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CredentialsError(`${path} is not valid JSON (${(error as Error).message}); fix or remove it to generate new credentials`);
  }
  const parsed = Stored.safeParse(raw);
  if (!parsed.success) throw new CredentialsError(`${path} is not a credentials file: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
  return parsed.data;
}

/** Compare secrets in constant time (hashing first makes lengths equal, so the length is not leaked either). */
export function secretsEqual(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
