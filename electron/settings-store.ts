import ElectronStore from 'electron-store';
import { openSettingsWith, type OpenedSettings } from '../main/settings/conf-store.js';
import type { SettingsStore } from '../main/settings/settings.js';

/** Studio's settings on electron-store: the same file, options and schema as conf in browser mode. */
export function openElectronSettings(dir: string): OpenedSettings {
  return openSettingsWith(dir, ({ configName, ...options }) => new ElectronStore({ ...options, name: configName } as ConstructorParameters<typeof ElectronStore>[0]) as unknown as SettingsStore);
}
