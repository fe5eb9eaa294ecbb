// What `npm start -- ...` accepts. Kept apart from launch.ts so that `--help` can print it without building.

export interface LaunchFlags {
  browser: boolean;
  open: boolean;
  /** Browser mode's port; undefined: the one used last time, when it is free. */
  port: number | undefined;
  /** The JSON log on the terminal instead of the log file. */
  verbose: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [--browser] [--no-open] [--port N] [--verbose]
  --browser   serve Studio in the browser even when Electron is available
  --no-open   do not open a browser window (browser mode)
  --port N    browser mode: serve Studio on 127.0.0.1:N (default: the port used last time, if free)
  --verbose   write Studio's JSON log to this terminal instead of its log file
  --help      print this and exit
Environment: STUDIO_DATA_DIR overrides the app-data folder (settings, local Platform, workspace, log);
STUDIO_LOG_LEVEL sets the log level (default info); ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips getting Electron.`;

export function parseLaunchFlags(argv: readonly string[], env: NodeJS.ProcessEnv): LaunchFlags {
  const flags: LaunchFlags = { browser: env.STUDIO_BROWSER === '1', open: env.STUDIO_NO_OPEN !== '1' && !env.CI, port: undefined, verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--browser') flags.browser = true;
    else if (a === '--no-open') flags.open = false;
    else if (a === '--verbose') flags.verbose = true;
    else if (a === '--help' || a === '-h') flags.help = true;
    else if (a === '--port') {
      const raw = argv[++i];
      const n = Number(raw);
      if (raw === undefined || raw === '' || !Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`--port needs a port number (0-65535), got ${raw ?? 'nothing'}.`);
      flags.port = n;
    } else throw new Error(`Unknown option ${a}.\n${USAGE}`);
  }
  return flags;
}
