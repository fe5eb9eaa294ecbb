import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import type { LiveTrainingSettings } from '../../../protocol/bot-settings.js';
import type { AppState } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { queryKeys } from '../data/query-keys.js';
import { draftFrom, patchFrom, type BotSettingsDraft } from './bot-settings-patch.js';
import { EngineLimitsFieldset } from './EngineLimitsFieldset.js';
import { KeepConversationForm } from './KeepConversationForm.js';
import { WidgetOriginsForm } from './WidgetOriginsForm.js';
import { SaveOutcome } from './SaveOutcome.js';

/**
 * One bot's Live Training settings, stored on the Platform: the three notices end users see, the inactivity
 * timeout, how the chat looks on the Landing Page and in the widget, and the bot's AIML engine limits.
 */
export function BotSettingsForm({ bot, settings }: { bot: string; settings: LiveTrainingSettings }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  // What the Platform holds as far as this form knows: the settings it opened with, then what it saved.
  const [base, setBase] = useState(settings);
  const [draft, setDraft] = useState<BotSettingsDraft>(() => draftFrom(settings));
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (patch: Parameters<typeof client.invoke<'bot.settings.update'>>[1]['patch']) => client.invoke('bot.settings.update', { bot, patch }),
    onSuccess: ({ settings: saved }) => {
      queryClient.setQueryData<AppState>(queryKeys.appState, (state) =>
        state ? { ...state, bots: state.bots.map((b) => (b.name === bot ? { ...b, settings: saved } : b)) } : state,
      );
      setBase(saved);
      setDraft(draftFrom(saved));
    },
  });

  const set = <K extends keyof BotSettingsDraft>(key: K, value: BotSettingsDraft[K]) => {
    save.reset();
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const setLook = <K extends keyof BotSettingsDraft['appearance']>(key: K, value: BotSettingsDraft['appearance'][K]) => {
    save.reset();
    setDraft((d) => ({ ...d, appearance: { ...d.appearance, [key]: value } }));
  };

  const result = patchFrom(base, draft);
  const dirty = !result.ok || result.changed;

  return (
    <>
    <form
      className="bot-settings"
      aria-label={`Settings of ${bot}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!result.ok) {
          setProblems(result.problems);
          return;
        }
        setProblems([]);
        if (result.changed) save.mutate(result.patch);
      }}
    >
      <fieldset>
        <legend>What end users see when a person steps in</legend>
        <TextArea label="Paused message" help="Sent when you take over, before your reply." value={draft.pausedMessage} onChange={(v) => set('pausedMessage', v)} />
        <TextArea label="Reactivated message" help="Sent when you switch the bot back on." value={draft.reactivatedMessage} onChange={(v) => set('reactivatedMessage', v)} />
        <TextArea label="Inactivity message" help="Sent when the bot takes over again because you were inactive." value={draft.inactivityMessage} onChange={(v) => set('inactivityMessage', v)} />
        <Field label="Inactivity timeout (minutes)" help="How long you may be inactive before the bot answers again.">
          {(id) => <input id={id} type="number" min="0.02" max="1440" step="any" value={draft.inactivityMinutes} onChange={(e) => set('inactivityMinutes', e.target.value)} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend>Live Training</legend>
        <label className="check">
          <input type="checkbox" checked={draft.reviewLearnedAnswers} onChange={(e) => set('reviewLearnedAnswers', e.target.checked)} />
          <span>Review learned answers before the bot uses them</span>
        </label>
        <p className="muted">When on, every answer learned from a designer stays a draft in Training until a designer approves it.</p>
      </fieldset>
      <fieldset>
        <legend>Chat appearance (Landing Page and Chat Widget)</legend>
        <Field label="Title">{(id) => <input id={id} value={draft.appearance.title} onChange={(e) => setLook('title', e.target.value)} />}</Field>
        <Field label="Subtitle">{(id) => <input id={id} value={draft.appearance.subtitle} onChange={(e) => setLook('subtitle', e.target.value)} />}</Field>
        <TextArea label="Opening message" value={draft.appearance.openingMessage} onChange={(v) => setLook('openingMessage', v)} />
        <Field label="Placeholder">{(id) => <input id={id} value={draft.appearance.placeholder} onChange={(e) => setLook('placeholder', e.target.value)} />}</Field>
        <Field label="Theme colour">{(id) => <input id={id} type="color" value={longHex(draft.appearance.themeColour)} onChange={(e) => setLook('themeColour', e.target.value)} />}</Field>
        <Field label="Text colour">{(id) => <input id={id} type="color" value={longHex(draft.appearance.textColour)} onChange={(e) => setLook('textColour', e.target.value)} />}</Field>
        <Field label="Your replies look">
          {(id) => (
            <select id={id} value={draft.appearance.humanStyle} onChange={(e) => setLook('humanStyle', e.target.value as 'bot' | 'human')}>
              <option value="bot">Like the bot's</option>
              <option value="human">Marked as from a person</option>
            </select>
          )}
        </Field>
        <Field label="Paused and resumed notices look">
          {(id) => (
            <select id={id} value={draft.appearance.systemStyle} onChange={(e) => setLook('systemStyle', e.target.value as 'notice' | 'bot')}>
              <option value="notice">Like notices</option>
              <option value="bot">Like bot messages</option>
            </select>
          )}
        </Field>
      </fieldset>
      {draft.engineLimits && (
        <EngineLimitsFieldset
          value={draft.engineLimits}
          onChange={(name, text) => {
            save.reset();
            setDraft((d) => (d.engineLimits ? { ...d, engineLimits: { ...d.engineLimits, [name]: text } } : d));
          }}
        />
      )}
      {problems.length > 0 && (
        <ul className="form-error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <SaveOutcome save={save} dirty={dirty} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!dirty || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" disabled={!dirty || save.isPending} onClick={() => setDraft(draftFrom(base))}>
          Undo changes
        </button>
      </div>
    </form>
    <WidgetOriginsForm bot={bot} settings={settings} />
    <KeepConversationForm bot={bot} settings={settings} />
    </>
  );
}

/** `<input type=color>` only takes #rrggbb. */
function longHex(colour: string): string {
  if (/^#[0-9a-f]{3}$/i.test(colour)) return `#${[...colour.slice(1)].map((c) => c + c).join('')}`;
  return /^#[0-9a-f]{6}/i.test(colour) ? colour.slice(0, 7) : '#000000';
}

function Field({ label, help, children }: { label: string; help?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {help && <span className="choice-help">{help}</span>}
    </div>
  );
}

function TextArea({ label, help, value, onChange }: { label: string; help?: string; value: string; onChange: (value: string) => void }) {
  return <Field label={label} help={help}>{(id) => <textarea id={id} rows={2} value={value} onChange={(e) => onChange(e.target.value)} />}</Field>;
}
