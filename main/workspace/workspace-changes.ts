import type { Logger } from 'pino';
import type { BotWorkspace } from './bot-workspaces.js';
import { watchFiles } from './file-watcher.js';
import type { StoreSnapshot } from './live-training-store.js';
import type { TrainingHost } from './training-host.js';
import { LIVE_TRAINING_FILE_NAME, SOURCES_FILE_NAME } from './workspace-files.js';

export interface WorkspaceChangesOptions {
  host: () => TrainingHost | undefined;
  logger?: Logger;
  /** Watch workspace files for edits made outside Studio (default true once attached to a Studio). */
  watch?: boolean;
}

/**
 * How the renderer learns that a bot's learned categories changed: after Studio's own edits, and after edits made
 * outside Studio (an editor, a sync tool) seen by watching the bot's folder. One `training.changed` per new version.
 */
export class WorkspaceChanges {
  private closed = false;

  constructor(private readonly o: WorkspaceChangesOptions) {}

  /** Tells the renderer when the categories (or the state of the file) changed since it was last told. */
  changed(state: BotWorkspace, snapshot: StoreSnapshot): void {
    if (state.lastEmittedVersion === snapshot.version) return;
    state.lastEmittedVersion = snapshot.version;
    this.o.host()?.emit({ type: 'training.changed', bot: state.bot });
  }

  /** Starts watching the bot's folder (once; not before Studio is attached, nor after close). */
  watch(state: BotWorkspace): void {
    if (state.watcher || this.closed || !this.o.host() || this.o.watch === false) return;
    state.watcher = watchFiles(
      state.files.dir,
      [LIVE_TRAINING_FILE_NAME, SOURCES_FILE_NAME],
      () => {
        state.store.snapshot().then(
          (snapshot) => this.changed(state, snapshot),
          (error: unknown) => this.o.logger?.warn({ err: error, file: state.files.aimlFile }, 'could not read the workspace file after it changed'),
        );
      },
      150,
      (error) => this.o.logger?.warn({ err: error, dir: state.files.dir }, 'cannot watch the workspace folder: edits made outside Studio show up on the next refresh'),
    );
  }

  close(bots: Iterable<BotWorkspace>): void {
    this.closed = true;
    for (const s of bots) s.watcher?.close();
  }
}
