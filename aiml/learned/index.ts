/**
 * Live Training on the engine side (see README.md here): a bot's learned categories live on top of its compiled
 * files, which input of a conversation to capture, and conflict checks that cost one category per change.
 */
export { LearnedLayer } from './learned-layer.js';
export type { LearnedCategoryRef, PutOutcome, RemoveOutcome, RejectedCategory, SetAllOutcome } from './learned-layer.js';
export { chooseCapture, captureNormaliser, ENGLISH, ENGLISH_CONTEXT_REPLIES, ENGLISH_QUESTION_WORDS } from './capture-choice.js';
export type { CaptureCandidate, CaptureChoice, CaptureLanguage, CaptureMessage, CaptureNormaliser, CandidateStatus } from './capture-choice.js';
export { IncrementalAnalysis, analysisKey } from './analysis.js';
export type { AnalysedCategory, AnalysisChange, CategoryPointer, Finding, FindingKind } from './analysis.js';
export { splitLearnedFile } from './learned-file.js';
export type { SplitBotFiles } from './learned-file.js';
export { LEARNED_FILE_PATH, keyOfDisplay } from './learned-category.js';
export type { LearnedCategoryProblem } from './learned-category.js';
