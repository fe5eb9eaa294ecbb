import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { LiveTrainingSettings } from '../../../protocol/bot-settings.js';
import type { AppState } from '../../../protocol/studio-api.js';
import { ANY_SITE, normaliseOrigin } from '../../../protocol/widget-origins.js';
import { useStudio } from '../app/studio-context.js';
import { queryKeys } from '../data/query-keys.js';
import { SaveOutcome } from './SaveOutcome.js';

/**
 * Which sites may show the bot's Chat Widget (the bot's allowed origins): any site, the default, or only the listed
 * ones. A form of its own beside the bot's other settings, saved on its own: the same list the
 * `widget-origins` CLI command changes.
 */
export function WidgetOriginsForm({ bot, settings }: { bot: string; settings: LiveTrainingSettings }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const [base, setBase] = useState(settings.allowedOrigins);
  const [anySite, setAnySite] = useState(base.includes(ANY_SITE));
  const [listed, setListed] = useState(base.filter((o) => o !== ANY_SITE));
  const [newSite, setNewSite] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const save = useMutation({
    mutationFn: (allowedOrigins: string[]) => client.invoke('bot.settings.update', { bot, patch: { allowedOrigins } }),
    onSuccess: ({ settings: saved }) => {
      queryClient.setQueryData<AppState>(queryKeys.appState, (state) =>
        state ? { ...state, bots: state.bots.map((b) => (b.name === bot ? { ...b, settings: saved } : b)) } : state,
      );
      setBase(saved.allowedOrigins);
    },
  });

  const next = anySite ? [ANY_SITE, ...listed] : listed;
  // Sites the Platform refused lately that are still not allowed: each can be allowed in one click.
  const refused = (settings.refusedOrigins ?? []).filter((r) => !base.includes(ANY_SITE) && !base.includes(r.origin));
  const allowNow = (origin: string) => {
    save.reset();
    const saved = base.filter((o) => o !== ANY_SITE);
    setListed([...listed.filter((o) => o !== origin), origin]);
    save.mutate([...saved.filter((o) => o !== origin), origin]);
  };
  const dirty = JSON.stringify(next) !== JSON.stringify(base);

  const add = () => {
    save.reset();
    let origin: string;
    try {
      origin = normaliseOrigin(newSite);
    } catch (error) {
      setProblem((error as Error).message);
      return;
    }
    if (origin === ANY_SITE) {
      setAnySite(true);
    } else if (!listed.includes(origin)) setListed([...listed, origin]);
    // Listing a site is asking for a restriction: the choice follows, as the CLI's --allow does.
    if (origin !== ANY_SITE) setAnySite(false);
    setNewSite('');
    setProblem(null);
  };

  return (
    <form
      className="bot-settings widget-origins"
      aria-label={`Sites that may show the Chat Widget of ${bot}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) save.mutate(next);
      }}
    >
      <fieldset>
        <legend>Sites that may show the Chat Widget</legend>
        <label className="choice">
          <input type="radio" name={`${inputId}-policy`} checked={anySite} onChange={() => (save.reset(), setAnySite(true))} /> Any site
        </label>
        <label className="choice">
          <input type="radio" name={`${inputId}-policy`} checked={!anySite} onChange={() => (save.reset(), setAnySite(false))} /> Only the sites listed here (the
          Landing Page always works)
        </label>
        {listed.length > 0 ? (
          <ul aria-label="Listed sites" className="origin-list">
            {listed.map((origin) => (
              <li key={origin}>
                <code>{origin}</code>{' '}
                <button type="button" aria-label={`Remove ${origin}`} onClick={() => (save.reset(), setListed(listed.filter((o) => o !== origin)))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : (
          !anySite && <p className="choice-help">No site listed: the widget works on no other site, only on the Landing Page.</p>
        )}
        <div className="field">
          <label htmlFor={inputId}>Add a site</label>
          <input
            id={inputId}
            placeholder="https://www.example.com"
            value={newSite}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setNewSite(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" onClick={add} disabled={newSite.trim() === ''}>
            Add site
          </button>
        </div>
      </fieldset>
      {refused.length > 0 && (
        <section aria-label="Sites refused recently" className="refused-origins">
          <p>These sites tried to show the widget and were refused:</p>
          <ul>
            {refused.map((r) => (
              <li key={r.origin}>
                <code>{r.origin}</code> ({r.count === 1 ? 'once' : `${r.count} times`}, last {new Date(r.at).toLocaleString()}){' '}
                <button type="button" onClick={() => allowNow(r.origin)} disabled={save.isPending}>
                  Allow {r.origin}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <SaveOutcome save={save} dirty={dirty} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!dirty || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save sites'}
        </button>
      </div>
    </form>
  );
}
