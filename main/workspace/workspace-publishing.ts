import type { Logger } from 'pino';
import type { PublishResult } from '../../protocol/training.js';
import type { BotWorkspace } from './bot-workspaces.js';
import type { PlatformAccess } from './platform-access.js';
import { publishLearnedFile } from './publisher.js';
import type { TrainingHost } from './training-host.js';
import { readPreferences, writePreferences } from './workspace-preferences.js';

export interface WorkspacePublishingOptions {
  host: () => TrainingHost | undefined;
  access: PlatformAccess;
  logger?: Logger;
  now: () => number;
}

/**
 * Getting learned categories onto the Platform and the bot's files back from it: publish on request or after each
 * capture (auto-publish), one publish at a time per bot, with its progress and last failure shown in the Training
 * view; and the pull of the bot's other files on request.
 */
export class WorkspacePublishing {
  constructor(private readonly o: WorkspacePublishingOptions) {}

  async refresh(state: BotWorkspace): Promise<{ count: number }> {
    return { count: (await state.botFiles.pull()).files.length };
  }

  async setAutoPublish(state: BotWorkspace, enabled: boolean): Promise<Record<string, never>> {
    const prefs = await readPreferences(state.files.preferencesFile);
    await writePreferences(state.files.preferencesFile, { ...prefs, autoPublish: enabled });
    this.o.host()?.emit({ type: 'training.changed', bot: state.bot });
    return {};
  }

  /** After a capture: publishes when the bot's auto-publish is on and Studio is attached; failures are logged. */
  async afterCapture(state: BotWorkspace): Promise<void> {
    if (!(await readPreferences(state.files.preferencesFile)).autoPublish || !this.o.host()) return;
    this.publish(state).then(
      (result) => {
        if (!result.published) this.o.logger?.warn({ bot: state.bot, errors: result.errors.slice(0, 5) }, `auto-publish failed: ${result.message}`);
      },
      (error: unknown) => this.o.logger?.warn({ err: error, bot: state.bot }, 'auto-publish failed'),
    );
  }

  /** One publish at a time per bot; a request while one runs publishes once more after it (with what is new). */
  publish(state: BotWorkspace): Promise<PublishResult> {
    if (state.publishing) {
      state.publishAgain = true;
      return state.publishing;
    }
    const run = (async (): Promise<PublishResult> => {
      try {
        let result: PublishResult;
        do {
          state.publishAgain = false;
          result = await this.publishOnce(state);
        } while (state.publishAgain && result.published);
        return result;
      } finally {
        state.publishing = undefined;
      }
    })();
    state.publishing = run;
    return run;
  }

  private async publishOnce(state: BotWorkspace): Promise<PublishResult> {
    const bot = state.bot;
    const emitProgress = (phase: 'checking' | 'uploading' | 'verifying' | 'done' | 'failed', done: number, total: number) =>
      this.o.host()?.emit({ type: 'training.progress', bot, phase, done, total });
    try {
      const client = await this.o.access.client();
      const snapshot = await state.store.snapshot();
      const record = await state.botFiles.record();
      const result = await publishLearnedFile({
        bot,
        categories: snapshot.categories,
        fileProblems: snapshot.problems,
        otherFiles: record ? (await state.botFiles.files()).files : undefined,
        client,
        now: new Date(this.o.now()),
        progress: emitProgress,
      });
      if (result.published) {
        state.lastPublish = undefined;
        const prefs = await readPreferences(state.files.preferencesFile);
        await writePreferences(state.files.preferencesFile, { ...prefs, lastPublishedAt: this.o.now() });
      } else {
        state.lastPublish = { error: result.message, errors: result.errors };
      }
      this.o.host()?.emit({ type: 'training.changed', bot });
      return result;
    } catch (error) {
      emitProgress('failed', 0, 0);
      state.lastPublish = { error: describe(error), errors: [] };
      this.o.host()?.emit({ type: 'training.changed', bot });
      throw error;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
