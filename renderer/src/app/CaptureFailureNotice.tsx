import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CaptureFailure } from '../../../protocol/capture-failures.js';
import { describeError } from '../client/studio-client.js';
import { useStudio } from './studio-context.js';

const FAILURES_KEY = ['capture.failures'] as const;

/**
 * The replies of this conversation that reached the end user but did not become AIML: said next to the reply box
 * (where the designer just replied), with why and a "Try again" that re-runs the capture. Main keeps the failures,
 * so they are still shown after a reload; each one goes once its capture succeeds.
 */
export function CaptureFailureNotice({ conversationId }: { conversationId: string }) {
  const failures = useCaptureFailures().filter((f) => f.conversationId === conversationId);
  if (failures.length === 0) return null;
  return (
    <div className="capture-failures">
      {failures.map((f) => (
        <CaptureFailureItem key={f.seq} failure={f} />
      ))}
    </div>
  );
}

function CaptureFailureItem({ failure }: { failure: CaptureFailure }) {
  const { client } = useStudio();
  const retry = useMutation({ mutationFn: () => client.invoke('capture.retry', { conversationId: failure.conversationId, seq: failure.seq }) });
  return (
    <div className="banner banner-warning capture-failure" role="alert">
      <span>
        Your reply was sent, but not saved to pand_livetraining.aiml: {failure.reason}
        {retry.isError && ` (Trying again failed: ${describeError(retry.error)})`}
      </span>
      <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending}>
        Try again
      </button>
    </div>
  );
}

/** The failures main holds, kept current by its `capture.failed` and `capture.saved` events. */
function useCaptureFailures(): CaptureFailure[] {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: FAILURES_KEY, queryFn: async () => (await client.invoke('capture.failures', {})).failures });
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'capture.failed') {
          const f = event.failure;
          queryClient.setQueryData<CaptureFailure[]>(FAILURES_KEY, (list = []) => [...list.filter((x) => !sameReply(x, f)), f]);
        } else if (event.type === 'capture.saved') {
          queryClient.setQueryData<CaptureFailure[]>(FAILURES_KEY, (list = []) => list.filter((x) => !sameReply(x, event)));
        }
      }),
    [client, queryClient],
  );
  return query.data ?? [];
}

function sameReply(a: { conversationId: string; seq: number }, b: { conversationId: string; seq: number }): boolean {
  return a.conversationId === b.conversationId && a.seq === b.seq;
}
