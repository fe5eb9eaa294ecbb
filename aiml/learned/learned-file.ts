/**
 * A bot directory (Pandorabots layout) holds its learned categories in `aiml/pand_livetraining.aiml`. With a
 * LearnedLayer they live on top of the compiled bot instead: this splits them out, so the bot compiles without them
 * and the layer gets them (`LearnedLayer.on(compileBot(base).bot).setAll(learned)`).
 */
import { LIVE_TRAINING_FILE } from '../bot-properties.js';
import { parseCategories, type ParsedCategory } from '../category-writer.js';
import { decodeXmlBytes } from '../encoding.js';
import type { AimlDiagnostic, BotFiles } from '../types.js';

export interface SplitBotFiles {
  /** Every file but the learned one. */
  base: BotFiles;
  /** Its categories, in file order (a later one with the same pattern, that and topic wins, as when loaded). */
  learned: ParsedCategory[];
  /** What reading it found (a file that is not well-formed gives no categories and says so here). */
  diagnostics: AimlDiagnostic[];
}

export function splitLearnedFile(files: BotFiles): SplitBotFiles {
  const base: BotFiles = {};
  const learned: ParsedCategory[] = [];
  const diagnostics: AimlDiagnostic[] = [];
  for (const [path, content] of Object.entries(files)) {
    const name = path.replace(/\\/g, '/').split('/').pop();
    if (name !== LIVE_TRAINING_FILE) {
      base[path] = content;
      continue;
    }
    const text = typeof content === 'string' ? content : decodeXmlBytes(content).text;
    const parsed = parseCategories(text, path);
    learned.push(...parsed.categories);
    diagnostics.push(...parsed.diagnostics);
  }
  return { base, learned, diagnostics };
}
