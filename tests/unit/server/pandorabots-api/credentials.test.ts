import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE, CredentialsError, resolveApiCredentials, secretsEqual } from '../../../../server/pandorabots-api/credentials.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'creds-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('API credentials', () => {
  it('generates a Pandorabots-style app id and user key on first run, then keeps them', () => {
    const first = resolveApiCredentials({ dataDir });
    expect(first.generated).toBe(true);
    expect(first.credentials.appId).toMatch(/^un[0-9a-f]{8}$/);
    expect(first.credentials.userKey).toMatch(/^[0-9a-f]{32}$/);
    const again = resolveApiCredentials({ dataDir });
    expect(again.generated).toBe(false);
    expect(again.credentials.appId).toBe(first.credentials.appId);
    expect(again.credentials.userKey).toBe(first.credentials.userKey);
    expect(statSync(join(dataDir, CREDENTIALS_FILE)).mode & 0o077).toBe(0);
  });

  it('uses the app id and user key given on the command line instead of generating', () => {
    const given = resolveApiCredentials({ dataDir, appId: 'myapp', userKey: 'secretkey123' });
    expect(given.generated).toBe(false);
    expect(given.credentials).toMatchObject({ appId: 'myapp', userKey: 'secretkey123' });
    expect(resolveApiCredentials({ dataDir }).credentials.userKey).toBe('secretkey123');
  });

  it('refuses an app id that could not sit in a URL path, and a short user key', () => {
    expect(() => resolveApiCredentials({ dataDir, appId: '../x' })).toThrow(CredentialsError);
    expect(() => resolveApiCredentials({ dataDir, userKey: 'short' })).toThrow(/user key/);
  });

  it('says clearly when the stored file is broken instead of silently replacing it', () => {
    writeFileSync(join(dataDir, CREDENTIALS_FILE), '{not json');
    expect(() => resolveApiCredentials({ dataDir })).toThrow(/not valid JSON.*remove it/);
  });

  it('gives each bot a stable public botkey that maps back to the bot, and forgets it on delete', () => {
    const { credentials } = resolveApiCredentials({ dataDir });
    const key = credentials.botKeys.keyFor('mybot');
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(credentials.botKeys.keyFor('mybot')).toBe(key);
    expect(credentials.botKeys.botFor(key)).toBe('mybot');
    expect(credentials.botKeys.botFor(`${key}x`)).toBeUndefined();
    // Survives a restart.
    expect(resolveApiCredentials({ dataDir }).credentials.botKeys.botFor(key)).toBe('mybot');
    credentials.botKeys.forget('mybot');
    expect(credentials.botKeys.botFor(key)).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dataDir, CREDENTIALS_FILE), 'utf8')).botKeys).toEqual({});
  });

  it('compares secrets exactly', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });
});
