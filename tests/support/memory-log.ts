import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** One line pino wrote, parsed: `err` is pino's serialized error (type, message, stack, cause folded in). */
export interface LogLine {
  level: number;
  msg: string;
  err?: { type: string; message: string; stack: string; code?: string };
  [key: string]: unknown;
}

/** A real pino logger writing to memory, so a test can read what would have been logged (level, `err.stack`...). */
export function memoryLog(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}
