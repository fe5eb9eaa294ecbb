import { describeError } from '../client/studio-client.js';

/**
 * What became of a settings form's last save, said where the designer is looking: why it was not saved (an alert), or
 * "Saved." once it was and nothing has changed since. One component for every per-bot settings form.
 */
export function SaveOutcome({ save, dirty }: { save: { isError: boolean; isSuccess: boolean; error: unknown }; dirty: boolean }) {
  return (
    <>
      {save.isError && (
        <p className="form-error" role="alert">
          Not saved: {describeError(save.error)}
        </p>
      )}
      {save.isSuccess && !dirty && (
        <p className="form-ok" role="status">
          Saved.
        </p>
      )}
    </>
  );
}
