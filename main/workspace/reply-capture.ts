import { TrainingWorkspace, type TrainingWorkspaceOptions } from './training-workspace.js';

export type ReplyCaptureOptions = TrainingWorkspaceOptions;

/**
 * Studio's AIML workspace, as the compositions (npm start, the desktop app, the e2e stack) create it: it captures
 * each designer reply into `<workspace>/<bot>/pand_livetraining.aiml` (the same input, `<that>` and topic again
 * replaces the old template; more replies to the same user message extend it; a retried reply is captured once),
 * and once attached to a Studio it serves the Training view (see TrainingWorkspace). The compositions hand it to
 * Studio twice: as its reply capture and as the Training view's service (TrainingWorkspacePort).
 */
export function createReplyCapture(o: ReplyCaptureOptions = {}): TrainingWorkspace {
  return new TrainingWorkspace(o);
}
