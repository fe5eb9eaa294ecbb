import type { ApiLogRow } from './ports.js';

/** The columns of the logs download, in order (the first line of the file). */
export const LOG_COLUMNS = ['time', 'client_name', 'channel', 'input', 'reply', 'pattern', 'that', 'topic', 'file', 'default_category'] as const;

/**
 * Render log rows as TSV, one exchange per line. Tabs, line breaks and backslashes inside a value are written as
 * `\t`, `\n`, `\r` and `\\`, so every row stays on one line and nothing is lost. Time is ISO 8601 UTC; files are
 * named as Pandorabots shows them (`udc.aiml`, not the path inside the bot folder).
 */
export function logsToTsv(rows: Iterable<ApiLogRow>): string {
  const lines = [LOG_COLUMNS.join('\t')];
  for (const row of rows) {
    lines.push(
      [
        new Date(row.at).toISOString(),
        row.clientName,
        row.channel,
        row.input,
        row.reply,
        row.pattern,
        row.that,
        row.topic,
        row.file.slice(row.file.lastIndexOf('/') + 1),
        row.defaultCategory ? 'yes' : 'no',
      ]
        .map(escapeField)
        .join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

function escapeField(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Pandorabots names the download after its window: `logs_9-26-2017 - 10-26-2017.tsv`. */
export function logsFileName(from: number, to: number): string {
  const day = (ms: number) => {
    const d = new Date(ms);
    return `${d.getUTCMonth() + 1}-${d.getUTCDate()}-${d.getUTCFullYear()}`;
  };
  return `logs_${day(from)} - ${day(to)}.tsv`;
}
