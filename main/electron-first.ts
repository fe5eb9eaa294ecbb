import type { ElectronBinary } from './electron-binary.js';
import type { ElectronEnd } from './electron-run.js';
import { troubleLine, type ElectronTrouble } from './electron-start-check.js';

export interface ElectronFirst {
  locate(): ElectronBinary;
  /** What would make Electron die at once here (no display, root, sandbox refused), checked before trying. */
  check(executable: string): ElectronTrouble | undefined;
  run(executable: string): Promise<ElectronEnd>;
  say(line: string): void;
  /** Where Electron's output was written, to point at when it failed. */
  electronLog?: string;
}

/**
 * `npm start` without --browser: Electron when it is there and can start, else browser mode, with one line saying
 * why. Resolves 'closed' when the designer closed the Electron window (the launcher then stops), 'browser' when
 * browser mode must follow.
 */
export async function electronFirst(o: ElectronFirst): Promise<'closed' | 'browser'> {
  const electron = o.locate();
  if (!electron.found) {
    o.say(`Electron is not available (${electron.reason}): serving Studio in browser mode instead.`);
    return 'browser';
  }
  const trouble = o.check(electron.path);
  if (trouble) {
    o.say(`Electron cannot start here: ${troubleLine(trouble)}. Serving Studio in browser mode instead.`);
    return 'browser';
  }
  const end = await o.run(electron.path);
  if (end.kind === 'closed') return 'closed';
  o.say(`Electron did not keep running: ${troubleLine(end.trouble)}. Serving Studio in browser mode instead${o.electronLog ? ` (Electron's output: ${o.electronLog})` : ''}.`);
  return 'browser';
}
