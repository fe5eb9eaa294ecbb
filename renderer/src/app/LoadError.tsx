import { useId } from 'react';
import { describeError } from '../client/studio-client.js';

export interface LoadErrorProps {
  /** What could not be loaded, as a sentence without the reason: "The messages could not be loaded". */
  what: string;
  error: unknown;
  /** Loads again (a query's refetch). */
  onRetry: () => unknown;
  /** The wrapper's class, so the block sits where the content would have been. */
  className?: string;
  /** `main` where the block stands in for the whole window. */
  as?: 'div' | 'main';
}

/**
 * The one "could not load ... Try again" block: what failed and why, announced at once (role alert, named by its
 * message), with a button that loads again.
 */
export function LoadError({ what, error, onRetry, className = 'list-empty', as: Tag = 'div' }: LoadErrorProps) {
  const messageId = useId();
  return (
    <Tag className={className} role="alert" aria-labelledby={messageId}>
      <p id={messageId}>
        {what}: {describeError(error)}
      </p>
      <button type="button" onClick={() => void onRetry()}>
        Try again
      </button>
    </Tag>
  );
}
