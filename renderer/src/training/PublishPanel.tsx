import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { PublishResult, TrainingWorkspace } from '../../../protocol/training.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { trainingKeys, type PublishProgress } from './training-queries.js';

const PHASE_WORDS: Record<PublishProgress['phase'], string> = {
  checking: 'Checking the categories',
  uploading: 'Uploading pand_livetraining.aiml',
  verifying: 'The Platform compiles the bot',
  done: 'Published',
  failed: 'Not published',
};

/** Publishing to the Platform: credentials when Studio needs them, the publish button, progress, outcome. */
export function PublishPanel({ workspace, progress }: { workspace: TrainingWorkspace; progress: PublishProgress | undefined }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const bot = workspace.bot;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trainingKeys.workspace(bot) });
  const [result, setResult] = useState<PublishResult | undefined>();
  const publish = useMutation({
    mutationFn: () => client.invoke('training.publish', { bot }),
    onMutate: () => setResult(undefined),
    onSuccess: (r) => setResult(r),
    onSettled: refresh,
  });
  const auto = useMutation({ mutationFn: (enabled: boolean) => client.invoke('training.setAutoPublish', { bot, enabled }), onSettled: refresh });
  const credentials = workspace.publish.credentials;
  const running = publish.isPending;
  const shownProgress = running ? progress : undefined;
  const fraction = shownProgress && shownProgress.total > 0 ? shownProgress.done / shownProgress.total : 0;
  const errors = result?.errors ?? (!running && !result ? workspace.publish.lastErrors : undefined) ?? [];
  const message = result?.message ?? (!running && !result ? workspace.publish.lastError : undefined);

  return (
    <section className="publish-panel" aria-labelledby="training-publish-title">
      <h2 id="training-publish-title">Publishing</h2>
      {credentials.source === 'missing' ? (
        <CredentialsForm />
      ) : (
        <p className="muted">
          {credentials.source === 'local' ? "Studio's own Platform" : `App ${credentials.appId}`}
          {workspace.publish.lastPublishedAt ? ` · last published ${new Date(workspace.publish.lastPublishedAt).toLocaleString()}` : ' · not published from this workspace yet'}
        </p>
      )}
      <div className="publish-actions">
        <button type="button" className="primary" disabled={running || credentials.source === 'missing' || workspace.categories.length === 0} onClick={() => publish.mutate()}>
          {running ? 'Publishing…' : 'Publish'}
        </button>
        <label className="check">
          <input type="checkbox" checked={workspace.publish.autoPublish} disabled={auto.isPending || credentials.source === 'missing'} onChange={(e) => auto.mutate(e.target.checked)} />
          <span>Publish after each capture</span>
        </label>
      </div>
      {shownProgress && (
        <div className="publish-progress">
          <progress aria-label="Publishing" max={1} value={shownProgress.phase === 'uploading' ? fraction : undefined} />
          <span role="status">
            {PHASE_WORDS[shownProgress.phase]}
            {shownProgress.phase === 'uploading' && shownProgress.total > 0 ? ` (${Math.round(fraction * 100)}%)` : '…'}
          </span>
        </div>
      )}
      {publish.isError && (
        <p className="form-error" role="alert">
          {describeError(publish.error)}
        </p>
      )}
      {message && !running && (
        <div className={result?.published ? 'form-ok' : 'form-error'} role={result?.published ? 'status' : 'alert'}>
          <p>{message}</p>
          {errors.length > 0 && (
            <ul className="publish-errors">
              {errors.map((e, i) => (
                <li key={i}>
                  <code>
                    {e.file}
                    {e.line > 0 ? `:${e.line}${e.column > 0 ? `:${e.column}` : ''}` : ''}
                  </code>{' '}
                  {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** A remote Platform's Pandorabots API app id and user key (kept by Studio's main process, never shown again). */
function CredentialsForm() {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const [appId, setAppId] = useState('');
  const [userKey, setUserKey] = useState('');
  const appIdField = useId();
  const keyField = useId();
  const save = useMutation({
    mutationFn: () => client.invoke('training.setCredentials', { appId: appId.trim(), userKey: userKey.trim() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['training'] }),
  });
  return (
    <form
      className="credentials-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (appId.trim() && userKey.trim()) save.mutate();
      }}
    >
      <p>Publishing goes through the Platform's Pandorabots API: enter its app id and user key (the Platform prints them when it first starts).</p>
      <label htmlFor={appIdField}>App ID</label>
      <input id={appIdField} value={appId} onChange={(e) => setAppId(e.target.value)} autoComplete="off" spellCheck={false} />
      <label htmlFor={keyField}>User key</label>
      <input id={keyField} type="password" value={userKey} onChange={(e) => setUserKey(e.target.value)} autoComplete="off" spellCheck={false} />
      <button type="submit" disabled={!appId.trim() || !userKey.trim() || save.isPending}>
        Save key
      </button>
      {save.isError && (
        <p className="form-error" role="alert">
          {describeError(save.error)}
        </p>
      )}
    </form>
  );
}
