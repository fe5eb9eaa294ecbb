import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../../server/pandorabots-api/crc32.js';
import { writeZip } from '../../../../server/pandorabots-api/zip-writer.js';
import { needing, unzipTool } from '../../../support/requirements.js';


describe('zip writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('starts with a local header and ends with the end-of-central-directory record', () => {
    const zip = writeZip([{ name: 'a.aiml', content: Buffer.from('hello') }]);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
    expect(zip.readUInt16LE(zip.length - 12)).toBe(1);
  });

  it.skipIf(!unzipTool.met)(needing('is read back byte for byte by unzip, with its integrity check passing', unzipTool), () => {
    const dir = mkdtempSync(join(tmpdir(), 'zip-'));
    try {
      const files = [
        { name: 'greetings.aiml', content: Buffer.from('<aiml version="2.0"></aiml>\n') },
        { name: 'colors.set', content: Buffer.from('[["red"],["blue"]]') },
        { name: 'empty.map', content: Buffer.alloc(0) },
        { name: 'unicode.substitution', content: Buffer.from('[["caf\u00e9","coffee"]]') },
      ];
      writeFileSync(join(dir, 'bot.zip'), writeZip(files));
      expect(execFileSync('unzip', ['-t', join(dir, 'bot.zip')]).toString()).toMatch(/No errors detected/);
      execFileSync('unzip', ['-q', join(dir, 'bot.zip'), '-d', join(dir, 'out')]);
      for (const f of files) expect(readFileSync(join(dir, 'out', f.name)).equals(f.content)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
