import type { trainingMethods } from '../../protocol/training.js';
import { AppError } from '../../protocol/errors.js';
import type { StudioHandlers } from '../studio-api/dispatcher.js';
import type { TrainingWorkspacePort } from './training-workspace-port.js';

type TrainingMethod = keyof typeof trainingMethods;

/**
 * The Studio API's `training.*` methods, served by the workspace the composition hands over (TrainingWorkspacePort);
 * without one, each says plainly that this Studio has no workspace.
 */
export function trainingHandlers(workspace: TrainingWorkspacePort | undefined): Pick<StudioHandlers, TrainingMethod> {
  const ws = (): TrainingWorkspacePort => {
    if (workspace) return workspace;
    throw new AppError('unavailable', 'This Studio has no AIML workspace.');
  };
  return {
    'training.workspace': ({ bot }) => ws().workspace(bot),
    'training.validate': ({ field, text }) => ws().validate(field, text),
    'training.update': ({ bot, id, category, baseVersion }) => ws().update(bot, id, category, baseVersion),
    'training.remove': ({ bot, ids }) => ws().remove(bot, ids),
    'training.approve': ({ bot, ids }) => ws().approve(bot, ids),
    'training.setContext': ({ bot, id, context }) => ws().setContext(bot, id, context),
    'training.contextOf': ({ bot, id }) => ws().contextOf(bot, id),
    'training.useInput': ({ bot, id, input }) => ws().useInput(bot, id, input),
    'training.history': ({ bot, id }) => ws().history(bot, id),
    'training.undoEntry': ({ bot, opId, baseVersion }) => ws().undoEntry(bot, opId, baseVersion),
    'training.undoLast': ({ bot, designerId }) => ws().undoLast(bot, designerId),
    'training.resolve': ({ bot, opId, choice, category }) => ws().resolve(bot, opId, choice, category),
    'training.unanswered': ({ bot, includeIgnored }) => ws().unansweredGroups(bot, includeIgnored),
    'training.answerUnanswered': ({ bot, groupKey, template, sendToOnline }) => ws().answerUnanswered(bot, groupKey, template, sendToOnline),
    'training.ignoreUnanswered': ({ bot, groupKey, ignored }) => ws().ignoreUnanswered(bot, groupKey, ignored),
    'training.suggest': ({ bot, id }) => ws().suggest(bot, id),
    'training.preview': ({ bot, input, that, includeDrafts }) => ws().preview(bot, input, that, includeDrafts),
    'training.export': ({ bot }) => ws().exportFile(bot),
    'training.import': ({ bot, fileName, text }) => ws().importFile(bot, fileName, text),
    'training.refresh': ({ bot }) => ws().refresh(bot),
    'training.publish': ({ bot }) => ws().publish(bot),
    'training.setAutoPublish': ({ bot, enabled }) => ws().setAutoPublish(bot, enabled),
    'training.setCredentials': ({ appId, userKey }) => ws().setCredentials({ appId, userKey }),
  };
}
