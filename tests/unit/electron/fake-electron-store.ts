import Conf from 'conf';

/**
 * Stands in for electron-store, whose own import of the real `electron` only works inside Electron. It does what
 * electron-store 11 does with its options (index.js: `name` becomes conf's `configName`, an absolute `cwd` is kept)
 * and nothing else, so tests check the options our glue passes. Use: `vi.mock('electron-store', () => import('./fake-electron-store.js'))`.
 */
export default class ElectronStore extends Conf {
  constructor({ name, ...options }: { name?: string; cwd: string }) {
    super({ ...options, configName: name ?? 'config' });
  }
}
