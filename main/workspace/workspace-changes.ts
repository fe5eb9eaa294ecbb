import type { BotWorkspace } from './bot-workspaces.js';
import type { TrainingHost } from './training-host.js';

export interface WorkspaceChangesOptions {
  host: () => TrainingHost | undefined;
}

/**
 * How the renderer learns that a bot's learned categories changed: the mirror took a change (this designer's,
 * another designer's, a full list after reconnecting) or the outbox did. One `training.changed` per mirror revision
 * or outbox change; none after close.
 */
export class WorkspaceChanges {
  private closed = false;

  constructor(private readonly o: WorkspaceChangesOptions) {}

  changed(state: BotWorkspace): void {
    if (this.closed) return;
    this.o.host()?.emit({ type: 'training.changed', bot: state.bot });
  }

  close(): void {
    this.closed = true;
  }
}
