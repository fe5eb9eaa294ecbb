import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateElectron } from '../../../main/electron-binary.js';
import { browserCommand } from '../../../main/open-browser.js';
import { findProjectRoot } from '../../../main/project-root.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'studio-launch-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function electronPackage(installScript?: string): string {
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{"name":"electron"}');
  if (installScript !== undefined) writeFileSync(join(pkg, 'install.js'), installScript);
  return pkg;
}

describe('finding the Electron binary', () => {
  it('finds it where path.txt says, under dist/', () => {
    const pkg = electronPackage();
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(locateElectron(root)).toEqual({ found: true, path: join(pkg, 'dist', 'electron') });
  });

  it('says why when it is not there', () => {
    expect(locateElectron(root)).toEqual({ found: false, reason: 'the electron package is not installed' });
    electronPackage();
    expect(locateElectron(root)).toEqual({ found: false, reason: 'its binary has not been downloaded; `npm run get-electron` tries again' });
  });

  it('only looks: an installer left in the package is not run at start (getting Electron is part of installing)', () => {
    const pkg = electronPackage(`require('fs').writeFileSync(require('path').join(__dirname, 'ran'), '')`);
    expect(locateElectron(root)).toEqual({ found: false, reason: 'its binary has not been downloaded; `npm run get-electron` tries again' });
    expect(existsSync(join(pkg, 'ran'))).toBe(false);
  });

  it('reports a path.txt whose executable is gone', () => {
    const pkg = electronPackage();
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(locateElectron(root)).toEqual({ found: false, reason: `its binary is missing (${join(pkg, 'dist', 'electron')})` });
  });
});

describe('opening a browser', () => {
  it('prefers $BROWSER, uses open on macOS and start on Windows', () => {
    expect(browserCommand('linux', { BROWSER: 'firefox' })).toEqual({ command: 'firefox', args: [] });
    expect(browserCommand('darwin', {})).toEqual({ command: 'open', args: [] });
    expect(browserCommand('win32', {})).toEqual({ command: 'cmd', args: ['/c', 'start', '""'] });
  });

  it('finds xdg-open on the PATH on Linux, and reports none when there is none', () => {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    expect(browserCommand('linux', { PATH: bin })).toBeUndefined();
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\n');
    chmodSync(join(bin, 'xdg-open'), 0o755);
    expect(browserCommand('linux', { PATH: bin })).toEqual({ command: 'xdg-open', args: [] });
  });
});

describe('project root', () => {
  it('is the nearest folder with a package.json, from source or from out/', () => {
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'out', 'main'), { recursive: true });
    expect(findProjectRoot(join(root, 'out', 'main'))).toBe(root);
    expect(findProjectRoot(root)).toBe(root);
  });
});
