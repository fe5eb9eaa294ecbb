import { homedir } from 'node:os';
import { join } from 'node:path';

/** The folder name Studio uses under the platform's per-user application data folder. */
export const APP_FOLDER = 'live-training-studio';

export interface AppPathsEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

const currentEnv = (): AppPathsEnv => ({ platform: process.platform, env: process.env, home: homedir() });

/**
 * Studio's per-user data folder: settings, the embedded Platform's data, the default workspace.
 * `STUDIO_DATA_DIR` overrides it (tests, portable installs). Electron is pointed at the same folder
 * (`app.setPath('userData', ...)`) so browser mode and the desktop app share one set of settings.
 */
export function appDataDir(e: AppPathsEnv = currentEnv()): string {
  const override = e.env.STUDIO_DATA_DIR;
  if (override) return override;
  if (e.platform === 'darwin') return join(e.home, 'Library', 'Application Support', APP_FOLDER);
  if (e.platform === 'win32') return join(e.env.APPDATA || join(e.home, 'AppData', 'Roaming'), APP_FOLDER);
  // Linux and every other Unix follow the XDG Base Directory convention.
  return join(e.env.XDG_CONFIG_HOME || join(e.home, '.config'), APP_FOLDER);
}

export interface StudioPaths {
  /** Where the settings file (`config.json`) lives. */
  settingsDir: string;
  /** The embedded local Platform's data folder (its database and bots). */
  platformDir: string;
  /** The default workspace, where `pand_livetraining.aiml` is written until the designer picks another folder. */
  defaultWorkspaceDir: string;
}

export function studioPaths(root: string = appDataDir()): StudioPaths {
  return {
    settingsDir: root,
    platformDir: join(root, 'platform'),
    defaultWorkspaceDir: join(root, 'workspace'),
  };
}
