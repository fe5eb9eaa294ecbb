import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { StudioEvent } from '../../../protocol/studio-api.js';
import type { TrainingWorkspace } from '../../../protocol/training.js';
import { useStudio } from '../app/studio-context.js';

export const trainingKeys = {
  workspace: (bot: string) => ['training', bot] as const,
  suggestions: (bot: string, id: string) => ['training', bot, 'suggest', id] as const,
  history: (bot: string, id: string) => ['training', bot, 'history', id] as const,
  context: (bot: string, id: string) => ['training', bot, 'context', id] as const,
  unanswered: (bot: string) => ['training', bot, 'unanswered'] as const,
};

export function useTrainingWorkspace(bot: string | undefined) {
  const { client } = useStudio();
  return useQuery({
    queryKey: trainingKeys.workspace(bot ?? ''),
    queryFn: () => client.invoke('training.workspace', { bot: bot! }) as Promise<TrainingWorkspace>,
    enabled: bot !== undefined,
  });
}

export function useSuggestions(bot: string, id: string | undefined) {
  const { client } = useStudio();
  return useQuery({
    queryKey: trainingKeys.suggestions(bot, id ?? ''),
    queryFn: () => client.invoke('training.suggest', { bot, id: id! }),
    enabled: id !== undefined,
    retry: false,
  });
}

export type PublishProgress = Omit<Extract<StudioEvent, { type: 'training.progress' }>, 'type'>;

/**
 * Main's `training.*` events for the bot on screen: a change refetches the workspace (a capture, an edit made
 * outside Studio, a publish), progress is kept for the publish bar.
 */
export function useTrainingEvents(bot: string | undefined): PublishProgress | undefined {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<PublishProgress | undefined>();
  useEffect(() => {
    return client.onEvent((event) => {
      if (event.type === 'training.changed') {
        void queryClient.invalidateQueries({ queryKey: ['training', event.bot] });
      } else if (event.type === 'training.progress' && event.bot === bot) {
        setProgress({ bot: event.bot, phase: event.phase, done: event.done, total: event.total });
      }
    });
  }, [client, queryClient, bot]);
  return progress?.bot === bot ? progress : undefined;
}
