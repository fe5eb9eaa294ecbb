import { readStarterBotFiles } from './starter-bot.js';

/**
 * The files a bot created through the API starts with, as on the Pandorabots platform: `udc.aiml` (the
 * ultimate default category), the five standard substitution files, `<bot>.properties` and `<bot>.pdefaults`.
 * The substitutions are the starter bot's; the default category says plainly that the bot knows nothing yet.
 */
export function newBotFiles(bot: string): Record<string, string | Uint8Array> {
  const starter = readStarterBotFiles();
  const files: Record<string, string | Uint8Array> = {};
  for (const name of ['normal', 'denormal', 'person', 'person2', 'gender']) {
    const path = `substitutions/${name}.substitution`;
    files[path] = starter[path] ?? '[]\n';
  }
  files['aiml/udc.aiml'] = `<?xml version="1.0" encoding="UTF-8"?>
<aiml version="2.0">
  <category>
    <pattern>*</pattern>
    <template>I have not learned how to answer that yet.</template>
  </category>
</aiml>
`;
  files[`system/${bot}.properties`] = `${JSON.stringify(
    [
      ['name', bot],
      ['default-get', 'unknown'],
      ['default-property', 'unknown'],
      ['default-map', 'unknown'],
      ['sentence-splitters', '.!?。？！'],
      ['learn-filename', 'pand_learn.aiml'],
      ['max-learn-file-size', '1000000'],
    ],
    null,
    1,
  )}\n`;
  files[`system/${bot}.pdefaults`] = `${JSON.stringify([['env', 'browser']])}\n`;
  return files;
}
