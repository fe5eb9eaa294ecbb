import type { TrainingWorkspace } from '../../../protocol/training.js';

/** Whether Training is live with the Platform, and the edits waiting for it when it is not. */
export function SyncStatus({ sync }: { sync: TrainingWorkspace['sync'] }) {
  if (!sync) return null;
  const waiting = sync.queued.length;
  if (sync.online && waiting === 0) return null;
  return (
    <p className={`banner ${sync.online ? 'banner-info' : 'banner-warning'} training-banner`} role="status">
      {sync.online ? 'Sending your edits to the Platform…' : 'Offline: Training shows the categories as last seen from the Platform.'}
      {waiting > 0 && ` ${waiting === 1 ? '1 edit waits' : `${waiting} edits wait`} to be sent, in order: ${sync.queued.map((q) => q.label).join('; ')}.`}
      {!sync.online && sync.syncedAt !== undefined && ` Last synced ${new Date(sync.syncedAt).toLocaleString()}.`}
    </p>
  );
}
