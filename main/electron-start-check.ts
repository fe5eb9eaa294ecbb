import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Why Electron cannot start (or did not), in words for the terminal, and the fix when there is one. */
export interface ElectronTrouble {
  reason: string;
  fix?: string;
}

/** What decides, on Linux, whether Electron's Chromium can open a window at all. */
export interface ElectronHostFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The user id, where there is one (not on Windows). */
  uid: number | undefined;
  /** `chrome-sandbox` next to the executable (Linux): its owner and mode. */
  sandboxHelper?: { path: string; uid: number; mode: number };
  /** Unprivileged user namespaces are blocked (Ubuntu 23.10+ AppArmor, or a kernel switch), so Chromium's namespace sandbox cannot work. */
  userNamespacesRestricted: boolean;
}

function readSysctl(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function readElectronHostFacts(executable: string, env: NodeJS.ProcessEnv = process.env): ElectronHostFacts {
  const facts: ElectronHostFacts = { platform: process.platform, env, uid: process.getuid?.(), userNamespacesRestricted: false };
  if (process.platform !== 'linux') return facts;
  const helper = join(dirname(executable), 'chrome-sandbox');
  try {
    const st = statSync(helper);
    facts.sandboxHelper = { path: helper, uid: st.uid, mode: st.mode };
  } catch {
    // no helper: Chromium relies on user namespaces alone
  }
  facts.userNamespacesRestricted =
    readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1' || readSysctl('/proc/sys/kernel/unprivileged_userns_clone') === '0';
  return facts;
}

/** `chrome-sandbox` works only when it is owned by root and set-uid (mode 4755). */
function helperIsSetUidRoot(h: NonNullable<ElectronHostFacts['sandboxHelper']>): boolean {
  return h.uid === 0 && (h.mode & 0o4000) !== 0;
}

/**
 * The reasons known before trying: each would make Electron die at start, so `npm start` goes to browser mode at
 * once instead. Chromium's sandbox is never switched off to get past them (`--no-sandbox`): the fix is the user's.
 */
export function whyElectronCannotStart(f: ElectronHostFacts): ElectronTrouble | undefined {
  if (f.platform !== 'linux') return undefined;
  if (!f.env.DISPLAY && !f.env.WAYLAND_DISPLAY)
    return { reason: 'there is no display to open its window on (DISPLAY and WAYLAND_DISPLAY are not set)', fix: 'run npm start in a desktop session (or ssh -X)' };
  if (f.uid === 0) return { reason: 'Chromium refuses to run as root with its sandbox on', fix: 'run npm start as a normal user' };
  if (f.userNamespacesRestricted && f.sandboxHelper && !helperIsSetUidRoot(f.sandboxHelper))
    return {
      reason: "this system (AppArmor on Ubuntu 23.10+) blocks Chromium's sandbox, and chrome-sandbox is not set up to replace it",
      fix: `sudo chown root:root ${f.sandboxHelper.path} && sudo chmod 4755 ${f.sandboxHelper.path}`,
    };
  return undefined;
}

/** What Electron's own output says about a failed start, matched on the messages Chromium and Node print. */
function knownFailures(sandboxHelper: string): { pattern: RegExp; trouble: ElectronTrouble }[] {
  return [
    { pattern: /Missing X server or \$DISPLAY|cannot open display/i, trouble: { reason: 'there is no display to open its window on', fix: 'run npm start in a desktop session (or ssh -X)' } },
    { pattern: /Running as root without --no-sandbox is not supported/i, trouble: { reason: 'Chromium refuses to run as root with its sandbox on', fix: 'run npm start as a normal user' } },
    {
      pattern: /SUID sandbox helper binary was found, but is not configured correctly|No usable sandbox|setuid_sandbox_host/i,
      trouble: { reason: "Chromium's sandbox was refused (on Ubuntu 23.10+, AppArmor blocks it unless chrome-sandbox is set up)", fix: `sudo chown root:root ${sandboxHelper} && sudo chmod 4755 ${sandboxHelper}` },
    },
    { pattern: /was compiled against a different Node\.js version|NODE_MODULE_VERSION/i, trouble: { reason: 'a native module (better-sqlite3) is built for another Node than Electron’s', fix: 'npm rebuild better-sqlite3' } },
  ];
}

/** Says why Electron ended, from its exit and the last of its output. */
export function explainElectronExit(
  end: { code: number | null; signal: NodeJS.Signals | null; early: boolean },
  output: string,
  sandboxHelper = 'node_modules/electron/dist/chrome-sandbox',
): ElectronTrouble {
  for (const k of knownFailures(sandboxHelper)) if (k.pattern.test(output)) return k.trouble;
  const how = end.signal ? `it was ended by ${end.signal}` : end.code === 0 ? 'it closed right after starting' : `it exited with code ${end.code}`;
  const last = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();
  return { reason: `${how}${end.early && end.code !== 0 ? ' while starting' : ''}${last ? `; its last words: "${last.slice(0, 160)}"` : ''}` };
}

export function troubleLine(t: ElectronTrouble): string {
  return t.fix ? `${t.reason} (fix: ${t.fix})` : t.reason;
}
