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
    'training.update': ({ bot, id, category }) => ws().update(bot, id, category),
    'training.remove': ({ bot, ids }) => ws().remove(bot, ids),
    'training.review': ({ bot, ids, reviewed }) => ws().review(bot, ids, reviewed),
    'training.undo': ({ bot }) => ws().undo(bot),
    'training.suggest': ({ bot, id }) => ws().suggest(bot, id),
    'training.preview': ({ bot, input, that }) => ws().preview(bot, input, that),
    'training.export': ({ bot }) => ws().exportFile(bot),
    'training.import': ({ bot, fileName, text }) => ws().importFile(bot, fileName, text),
    'training.refresh': ({ bot }) => ws().refresh(bot),
    'training.publish': ({ bot }) => ws().publish(bot),
    'training.setAutoPublish': ({ bot, enabled }) => ws().setAutoPublish(bot, enabled),
    'training.setCredentials': ({ appId, userKey }) => ws().setCredentials({ appId, userKey }),
  };
}
