import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDist } from '../../scripts/dist.js';
import { STUDIO_APP_ID } from '../../electron/app-id.js';

// electron-builder cannot package here (the Electron binary is downloaded at packaging time), so the config is
// checked the way electron-builder itself checks it before packaging: its own schema validator. Only electron-builder
// is declared in package.json: its validator (app-builder-lib) and YAML reader (js-yaml) are resolved through it, as
// electron-builder resolves them, never from wherever npm happened to hoist them.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const fromBuilderLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));
const { load } = fromBuilderLib('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  extraMetadata: Record<string, string>;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; executableName: string; syncDesktopName: boolean; executableArgs?: string[] };
  appImage?: { executableArgs?: string[] };
  deb?: { depends?: string[] };
  toolsets?: { appimage?: string };
  mac: { target: string[]; notarize?: boolean };
  win: { target: string[] };
}
const config = load(readFileSync(resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8')) as BuilderConfig;
const quiet = { isEnabled: false, add() {} };

describe('electron-builder.yml', () => {
  // The first validation compiles electron-builder's whole JSON schema: seconds on a busy machine. It is paid here,
  // with room for it, so that each test below passes alone, in any order, within its own time limit.
  let realConfig: unknown;
  beforeAll(async () => {
    realConfig = await validateConfiguration(config, quiet).then(
      () => 'valid',
      (error: unknown) => error,
    );
  }, 120_000);

  it("passes electron-builder's own configuration schema", () => {
    expect(realConfig).toBe('valid');
  });

  it('is checked for real: a misspelt option is refused', async () => {
    await expect(validateConfiguration({ ...config, lniux: {} }, quiet)).rejects.toThrow(/lniux/);
  });

  it('builds AppImage and deb, dmg, and nsis', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
  });

  it('sets the fuses that close Node entry points and keep the app in its verified asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});

describe('electron-builder.yml on real machines', () => {
  it("keeps electron-builder's default deb dependencies (GTK, NSS, libnotify, xdg-utils...) instead of replacing them", () => {
    const FpmTarget = (fromBuilder('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: { getDefaultDepends(target: string): string[] } } }).default;
    const defaults = FpmTarget.prototype.getDefaultDepends.call(null, 'deb');
    // What Studio itself needs from the system: notifications and opening links in the browser.
    expect(defaults).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libnotify4', 'xdg-utils']));
    // A depends list, whatever it holds, replaces those defaults (FpmTarget: options.depends ?? defaults).
    expect(config.deb?.depends).toBeUndefined();
  });

  it('leaves the AppImage its --no-sandbox fallback for Ubuntu 24.04 (no executableArgs, the legacy AppRun that probes user namespaces)', () => {
    expect(config.linux.executableArgs).toBeUndefined();
    expect(config.appImage?.executableArgs).toBeUndefined();
    expect(config.toolsets?.appimage ?? '0.0.0').toBe('0.0.0');
    const { generateAppRunScript } = fromBuilder('app-builder-lib/out/targets/appimage/appImageUtil.js') as { generateAppRunScript(c: Record<string, string>): string };
    const appRun = generateAppRunScript({ ExecutableName: 'live-training-studio' });
    expect(appRun).toContain('unshare -Ur true');
    expect(appRun).toContain('NO_SANDBOX=(--no-sandbox)');
  });

  it('names the .desktop file, the window class and the badge owner alike, and the app the way its windows are named', () => {
    expect(config.extraMetadata.productName).toBe('Live Training Studio');
    expect(config.productName).toBe('Live Training Studio');
    expect(config.extraMetadata.desktopName).toBe(`${config.linux.executableName}.desktop`);
    expect(config.linux.syncDesktopName).toBe(true);
  });

  it('uses the same app id as the running app gives Windows (notifications and taskbar pinning depend on it)', () => {
    expect(config.appId).toBe(STUDIO_APP_ID);
  });

  it('notarises when Apple credentials are in the environment and holds no credentials itself', () => {
    expect(config.mac.notarize).toBe(true);
    const text = readFileSync(resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8');
    expect(text).not.toMatch(/^\s*(cscLink|cscKeyPassword|certificatePassword|certificateFile|appleId)\s*:/im);
  });
});

describe('npm run dist', () => {
  const scripts = { npm: '/npm-cli.js', electronBuilder: '/electron-builder/cli.js' };
  const runner = (statuses: Record<string, number>) => {
    const calls: string[] = [];
    const run = (script: string, args: string[]) => {
      const call = [script, ...args].join(' ');
      calls.push(call);
      return statuses[call] ?? 0;
    };
    return { run, calls };
  };

  it('needs no POSIX shell: the npm script runs one Node script', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toBe('tsx scripts/dist.ts');
  });

  it('builds, packages with the arguments given, then rebuilds better-sqlite3 for development', () => {
    const { run, calls } = runner({});
    expect(runDist(run, scripts, ['--linux', 'deb'])).toBe(0);
    expect(calls).toEqual(['/npm-cli.js run build', '/electron-builder/cli.js --linux deb', '/npm-cli.js rebuild better-sqlite3']);
  });

  it('puts better-sqlite3 back even when packaging fails, and fails with the packaging status', () => {
    const { run, calls } = runner({ '/electron-builder/cli.js': 7 });
    expect(runDist(run, scripts, [])).toBe(7);
    expect(calls.at(-1)).toBe('/npm-cli.js rebuild better-sqlite3');
  });

  it('packages nothing when the build fails', () => {
    const { run, calls } = runner({ '/npm-cli.js run build': 2 });
    expect(runDist(run, scripts, [])).toBe(2);
    expect(calls).toEqual(['/npm-cli.js run build']);
  });
});
