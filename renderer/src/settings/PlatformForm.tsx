import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { AppState } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { queryKeys } from '../data/query-keys.js';

/** Checks a Platform address the way a person types it; returns the problem in words, or undefined. */
export function platformUrlProblem(url: string): string | undefined {
  const trimmed = url.trim();
  if (!trimmed) return 'Enter the Platform address, for example https://bots.example.com.';
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return 'That is not a web address. It starts with https:// or http://.';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'The address starts with https:// or http://.';
  return undefined;
}

/**
 * Choose the Platform: Studio's own local one, or a server with a designer token. Used by the first-run screen
 * and by Settings (changing Platform, or a token the Platform refused).
 */
export function PlatformForm({ current, onDone, submitLabel }: { current?: AppState['link']; onDone?: () => void; submitLabel?: string }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'embedded' | 'remote'>(current && !current.embedded && current.status !== 'unconfigured' ? 'remote' : 'embedded');
  const [url, setUrl] = useState(current?.platformUrl && !current.embedded ? current.platformUrl : '');
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const ids = { url: useId(), token: useId(), problem: useId() };

  const configure = useMutation({
    mutationFn: (args: { embedded: true } | { embedded: false; url: string; token: string }) => client.invoke('platform.configure', args),
    onSuccess: (state) => {
      queryClient.setQueryData(queryKeys.appState, state);
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
      void queryClient.invalidateQueries({ queryKey: queryKeys.settings });
      setToken('');
      onDone?.();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'embedded') {
      setProblem(undefined);
      configure.mutate({ embedded: true });
      return;
    }
    const urlProblem = platformUrlProblem(url);
    const found = urlProblem ?? (token.trim() ? undefined : 'Enter the designer token the Platform gave you.');
    setProblem(found);
    if (!found) configure.mutate({ embedded: false, url: url.trim(), token: token.trim() });
  };

  const error = problem ?? (configure.isError ? describeError(configure.error) : undefined);
  return (
    <form className="platform-form" noValidate onSubmit={submit} aria-describedby={error ? ids.problem : undefined}>
      <fieldset>
        <legend>Which Platform should Studio use?</legend>
        <label className="choice">
          <input type="radio" name="platform-mode" checked={mode === 'embedded'} onChange={() => setMode('embedded')} />
          <span>
            <strong>A local Platform on this computer</strong>
            <span className="choice-help">Studio runs one with a starter bot. Good for trying things out and for your own bots.</span>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name="platform-mode" checked={mode === 'remote'} onChange={() => setMode('remote')} />
          <span>
            <strong>A Platform server</strong>
            <span className="choice-help">Your team's Platform. You need its address and a designer token.</span>
          </span>
        </label>
      </fieldset>
      {mode === 'remote' && (
        <div className="fields">
          <label htmlFor={ids.url}>Platform URL</label>
          <input id={ids.url} type="url" inputMode="url" autoComplete="url" placeholder="https://bots.example.com" value={url} onChange={(e) => setUrl(e.target.value)} />
          <label htmlFor={ids.token}>Designer token</label>
          <input id={ids.token} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
        </div>
      )}
      {error && (
        <p id={ids.problem} className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={configure.isPending}>
        {configure.isPending ? 'Connecting…' : (submitLabel ?? (mode === 'embedded' ? 'Start the local Platform' : 'Connect'))}
      </button>
    </form>
  );
}
