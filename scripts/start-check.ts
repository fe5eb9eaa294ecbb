// What `npm start` can answer before building (run from source by scripts/start.mjs): the usage, a bad option, and
// "Studio is already running" (a build would empty out/ under the running Studio's feet). Exit 0: go on and build;
// 2: answered, stop here with success; 1: refused.
import { appDataDir } from '../main/app-paths.js';
import { alreadyRunningLine, findRunningStudio } from '../main/instance-lock.js';
import { parseLaunchFlags, USAGE } from '../main/launch-flags.js';
import { openInBrowser } from '../main/open-browser.js';

async function check(): Promise<number> {
  let flags;
  try {
    flags = parseLaunchFlags(process.argv.slice(2), process.env);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  if (flags.help) {
    console.log(USAGE);
    return 2;
  }
  const dataDir = appDataDir();
  const running = await findRunningStudio(dataDir);
  if (!running) return 0;
  console.log(alreadyRunningLine(running, dataDir));
  if (running.mode === 'browser' && running.studioUrl && flags.open) openInBrowser(running.studioUrl);
  return 2;
}

process.exitCode = await check();
