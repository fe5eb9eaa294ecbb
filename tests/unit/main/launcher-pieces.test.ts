import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOrFetchElectron, locateElectron } from '../../../main/electron-binary.js';
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
    expect(locateElectron(root)).toEqual({ found: false, reason: 'its binary has not been downloaded' });
  });

  it('tries the download once and reports its error when it fails', async () => {
    electronPackage('console.error("RequestError: getaddrinfo ENOTFOUND github.com"); process.exit(1);');
    const result = await findOrFetchElectron(root, 5_000);
    expect(result).toEqual({ found: false, reason: 'its binary could not be downloaded (RequestError: getaddrinfo ENOTFOUND github.com)' });
  });

  it('uses the binary when the download succeeds', async () => {
    electronPackage(`const fs = require('fs'); const p = require('path');
      fs.mkdirSync(p.join(__dirname, 'dist'), { recursive: true });
      fs.writeFileSync(p.join(__dirname, 'dist', 'electron'), '');
      fs.writeFileSync(p.join(__dirname, 'path.txt'), 'electron');`);
    writeFileSync(join(root, 'package.json'), '{"type":"commonjs"}');
    const result = await findOrFetchElectron(root, 5_000);
    expect(result).toMatchObject({ found: true });
  });

  it('gives up on a download that takes too long', async () => {
    electronPackage('setTimeout(() => {}, 60_000);');
    const started = Date.now();
    const result = await findOrFetchElectron(root, 300);
    expect(result).toEqual({ found: false, reason: 'downloading it took longer than 0.3 s' });
    expect(Date.now() - started).toBeLessThan(5_000);
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
