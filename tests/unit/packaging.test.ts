import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

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
  files: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  mac: { target: string[] };
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
