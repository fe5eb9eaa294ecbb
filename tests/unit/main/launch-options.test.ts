import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_ADDRESS_FILE, listenOnStablePort, newBrowserKey, readBrowserAddress, saveBrowserAddress } from '../../../main/browser-address.js';
import { parseLaunchFlags, USAGE } from '../../../main/launch-flags.js';
import { nodeTooOld } from '../../../scripts/node-version.mjs';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

function listen(port: number): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => {
      servers.push(s);
      resolve({ port: (s.address() as { port: number }).port });
    });
  });
}

describe('npm start options', () => {
  it('reads --browser, --no-open, --port, --verbose and --help', () => {
    expect(parseLaunchFlags(['--browser', '--no-open', '--port', '5173', '--verbose'], {})).toEqual({ browser: true, open: false, port: 5173, verbose: true, help: false });
    expect(parseLaunchFlags([], {})).toEqual({ browser: false, open: true, port: undefined, verbose: false, help: false });
    expect(parseLaunchFlags(['-h'], {}).help).toBe(true);
    expect(USAGE).toContain('--verbose');
  });

  it('refuses a bad port and an unknown option, saying which', () => {
    expect(() => parseLaunchFlags(['--port'], {})).toThrow('--port needs a port number (0-65535), got nothing.');
    expect(() => parseLaunchFlags(['--port', '70000'], {})).toThrow('got 70000');
    expect(() => parseLaunchFlags(['--prot', '1'], {})).toThrow(/^Unknown option --prot\./);
  });
});

describe('which Node runs Studio', () => {
  it('accepts 20.19 and newer, and says what to do on an older one', () => {
    expect(nodeTooOld('20.19.0')).toBeUndefined();
    expect(nodeTooOld('v22.12.0')).toBeUndefined();
    expect(nodeTooOld('24.1.0')).toBeUndefined();
    expect(nodeTooOld('20.18.3')).toBe(
      'Studio needs Node 20.19 or newer (22.12+ to get Electron); this is Node 20.18.3. Install a newer Node (https://nodejs.org, or `nvm install 22`) and run npm ci again.',
    );
    expect(nodeTooOld('18.20.0')).toMatch(/this is Node 18\.20\.0/);
  });
});

describe("browser mode's stable address", () => {
  it('remembers port and key, owner-only, and ignores a damaged file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-address-'));
    try {
      expect(readBrowserAddress(dir)).toBeUndefined();
      const key = newBrowserKey();
      await saveBrowserAddress(dir, { port: 5173, key });
      expect(readBrowserAddress(dir)).toEqual({ port: 5173, key });
      expect(statSync(join(dir, BROWSER_ADDRESS_FILE)).mode & 0o077).toBe(0);
      writeFileSync(join(dir, BROWSER_ADDRESS_FILE), '{"port": "x"}');
      expect(readBrowserAddress(dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("listens on last time's port when it is free", async () => {
    const probe = await listen(0);
    await new Promise((r) => servers.pop()!.close(r));
    expect(await listenOnStablePort(undefined, probe.port, listen)).toEqual({ server: { port: probe.port } });
  });

  it("moves to a free port when last time's is taken, and says from which", async () => {
    const taken = await listen(0);
    const { server, movedFrom } = await listenOnStablePort(undefined, taken.port, listen);
    expect(movedFrom).toBe(taken.port);
    expect(server.port).not.toBe(taken.port);
  });

  it('a port asked for with --port must be free: a clear error, no silent move', async () => {
    const taken = await listen(0);
    await expect(listenOnStablePort(taken.port, undefined, listen)).rejects.toThrow(`Port ${taken.port} (--port) is taken or not allowed: choose another, or leave --port out.`);
  });
});
