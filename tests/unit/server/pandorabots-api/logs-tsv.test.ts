import { describe, expect, it } from 'vitest';
import { LOG_COLUMNS, logsFileName, logsToTsv } from '../../../../server/pandorabots-api/logs-tsv.js';

describe('logs TSV', () => {
  it('writes a header and one line per exchange with every column', () => {
    const tsv = logsToTsv([
      {
        at: Date.UTC(2026, 10, 25, 12, 0, 0),
        clientName: 'Rusty Sprocket',
        channel: 'landing',
        input: 'hello',
        reply: 'Hi there!',
        pattern: 'HELLO',
        that: '*',
        topic: '*',
        file: 'starter.aiml',
        defaultCategory: false,
      },
    ]);
    const [header, row, end] = tsv.split('\n');
    expect(header!.split('\t')).toEqual([...LOG_COLUMNS]);
    expect(row!.split('\t')).toEqual(['2026-11-25T12:00:00.000Z', 'Rusty Sprocket', 'landing', 'hello', 'Hi there!', 'HELLO', '*', '*', 'starter.aiml', 'no']);
    expect(end).toBe('');
  });

  it('keeps tabs and line breaks inside a message from breaking the row', () => {
    const tsv = logsToTsv([
      { at: 0, clientName: 'c', channel: 'api', input: 'a\tb', reply: 'line1\nline2\\', pattern: '*', that: '', topic: '', file: 'udc.aiml', defaultCategory: true },
    ]);
    const row = tsv.split('\n')[1]!.split('\t');
    expect(row).toHaveLength(LOG_COLUMNS.length);
    expect(row[3]).toBe('a\\tb');
    expect(row[4]).toBe('line1\\nline2\\\\');
    expect(row[9]).toBe('yes');
  });

  it('names the file after its window as Pandorabots does', () => {
    expect(logsFileName(Date.UTC(2017, 8, 26), Date.UTC(2017, 9, 26))).toBe('logs_9-26-2017 - 10-26-2017.tsv');
  });
});
