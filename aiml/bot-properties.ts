/** File names and property defaults the engine gives meaning to (Pandorabots' names and defaults). */
import { DEFAULT_SENTENCE_SPLITTERS } from './normalizer.js';

export const LIVE_TRAINING_FILE = 'pand_livetraining.aiml';
export const DEFAULT_LEARN_FILE = 'pand_learn.aiml';

/** Engine settings a bot gets when its properties do not say otherwise (Pandorabots' defaults). */
export const DEFAULT_PROPERTIES: Record<string, string> = {
  'default-get': 'unknown',
  'default-property': 'unknown',
  'default-map': 'unknown',
  'sentence-splitters': DEFAULT_SENTENCE_SPLITTERS,
  'learn-filename': DEFAULT_LEARN_FILE,
  'max-learn-file-size': '1000000',
};
