import { compileBot, InvalidCategoryError, type BotFiles } from '../../aiml/index.js';
import type { PublishResult, TrainingDiagnostic, TrainingEvent } from '../../protocol/training.js';
import type { LearnedCategory } from './learned-category.js';
import { liveTrainingFileText } from './live-training-file.js';
import type { PandorabotsClient } from './pandorabots-client.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

/** Pandorabots' limit for one bot file, which the Platform enforces on upload too. */
export const MAX_PUBLISH_BYTES = 2 * 1024 * 1024;

type Phase = Extract<TrainingEvent, { type: 'training.progress' }>['phase'];

export interface PublishInput {
  bot: string;
  categories: readonly LearnedCategory[];
  /** Problems of the file on disk: a broken file is not published until they are fixed. */
  fileProblems: readonly TrainingDiagnostic[];
  /** The bot's other files, when pulled: checked together with the learned file before anything is uploaded. */
  otherFiles: BotFiles | undefined;
  client: PandorabotsClient;
  now: Date;
  progress: (phase: Phase, done: number, total: number) => void;
}

/**
 * Publishes the workspace's `pand_livetraining.aiml` to the bot through the Platform's Pandorabots API: check it
 * locally (the same engine compiles it with the bot's other files, so most errors are found before any upload),
 * upload it (`PUT /bot/<app>/<bot>/file/pand_livetraining.aiml`, progress by bytes), then verify
 * (`GET /bot/<app>/<bot>/verify`): only a clean compile replaces the version the bot runs, so a failed publish never
 * takes the bot down. Errors come back with file, line and column. Platform and network failures throw
 * PlatformApiError (an AppError with a `platform_` code).
 */
export async function publishLearnedFile(p: PublishInput): Promise<PublishResult> {
  const fail = (message: string, errors: TrainingDiagnostic[]): PublishResult => {
    p.progress('failed', 0, 0);
    return { published: false, message, errors, warnings: [] };
  };
  p.progress('checking', 0, 1);
  const fileErrors = p.fileProblems.filter((d) => d.severity === 'error');
  if (fileErrors.length > 0) {
    return fail(`${LIVE_TRAINING_FILE_NAME} has errors on disk: fix them (or undo the edit) before publishing.`, [...fileErrors]);
  }
  let text: string;
  try {
    text = liveTrainingFileText(p.categories, p.bot, p.now);
  } catch (error) {
    if (!(error instanceof InvalidCategoryError)) throw error;
    const errors = error.problems.flatMap((problem) =>
      problem.diagnostics.map((d) => ({ ...d, file: LIVE_TRAINING_FILE_NAME, line: 0, column: 0, message: `${problem.pattern}: ${problem.field}: ${d.message}` })),
    );
    return fail('Some categories are not valid AIML: fix them before publishing.', errors);
  }
  const body = Buffer.from(text, 'utf8');
  if (body.length > MAX_PUBLISH_BYTES) {
    return fail(`${LIVE_TRAINING_FILE_NAME} is ${(body.length / 1024 / 1024).toFixed(1)} MB; a bot file may be at most 2 MB. Remove or merge categories first.`, []);
  }
  if (p.otherFiles) {
    const { diagnostics } = compileBot({ ...p.otherFiles, [`aiml/${LIVE_TRAINING_FILE_NAME}`]: text }, { botName: p.bot });
    const errors = diagnostics.filter((d) => d.severity === 'error' && d.file.endsWith(LIVE_TRAINING_FILE_NAME)).map((d) => ({ ...d, file: LIVE_TRAINING_FILE_NAME }));
    if (errors.length > 0) return fail(`${LIVE_TRAINING_FILE_NAME} does not compile with the bot's files.`, errors);
  }
  p.progress('checking', 1, 1);
  await p.client.putFile(p.bot, 'file', LIVE_TRAINING_FILE_NAME, body, (sent, total) => p.progress('uploading', sent, total));
  p.progress('verifying', 0, 1);
  const verified = await p.client.verify(p.bot);
  if (!verified.ok) {
    return fail(`The Platform did not compile the bot (${verified.message}); the bot keeps answering with its last good version.`, verified.errors);
  }
  p.progress('done', 1, 1);
  const n = p.categories.length;
  return {
    published: true,
    message: `Published ${n} ${n === 1 ? 'category' : 'categories'} to ${p.bot}: the bot answers with them now.`,
    errors: [],
    warnings: verified.warnings,
  };
}
