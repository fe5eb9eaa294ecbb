import { z } from 'zod';
import { DEFAULT_SETTINGS, StudioSettings } from './schema.js';

/**
 * The options both stores are built with, so `conf` (browser mode, tests) and `electron-store` (the desktop app)
 * read and write the same file with the same validation. The JSON Schema is generated from the zod schema, so
 * there is one definition; the store validates with it on every write, and Studio validates again on read.
 */
export function settingsStoreOptions(dir: string) {
  const json = z.toJSONSchema(StudioSettings, { target: 'draft-2020-12', io: 'input' }) as { properties: Record<string, object> };
  return {
    cwd: dir,
    configName: 'config',
    schema: json.properties,
    defaults: DEFAULT_SETTINGS,
    // Keys are plain names; a dot in a value path must not create nested objects.
    accessPropertiesByDotNotation: false,
    // A broken file is kept for the designer to inspect, not silently wiped (see openSettings).
    clearInvalidConfig: false,
    // The file holds a designer token: owner-only.
    configFileMode: 0o600,
  };
}
