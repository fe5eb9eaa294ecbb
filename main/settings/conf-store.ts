import Conf from 'conf';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Settings, type SettingsStore } from './settings.js';
import { settingsStoreOptions } from './store-options.js';

export interface OpenedSettings {
  settings: Settings;
  /** Set when the settings file was unreadable: where the broken file was moved (nothing is deleted). */
  setAside?: string;
}

/**
 * Opens the settings with a store built by `makeStore` (conf here, electron-store in Electron). A file that cannot
 * be read or breaks the schema is moved aside with a timestamp, and Studio starts from defaults, so a bad edit
 * never stops Studio from starting and never loses the designer's file.
 */
export function openSettingsWith(dir: string, makeStore: (options: ReturnType<typeof settingsStoreOptions>) => SettingsStore, now = Date.now()): OpenedSettings {
  const options = settingsStoreOptions(dir);
  try {
    return { settings: new Settings(makeStore(options)) };
  } catch (error) {
    const file = join(dir, `${options.configName}.json`);
    if (!existsSync(file)) throw error;
    const setAside = `${file}.broken-${now}`;
    renameSync(file, setAside);
    return { settings: new Settings(makeStore(options)), setAside };
  }
}

/** Settings in plain Node (browser mode, tests), on `conf`. */
export function openConfSettings(dir: string, now = Date.now()): OpenedSettings {
  return openSettingsWith(dir, (options) => new Conf(options as ConstructorParameters<typeof Conf>[0]) as unknown as SettingsStore, now);
}
