import { useId } from 'react';
import { ENGINE_LIMIT_FIELDS, type EngineLimitName } from '../../../protocol/bot-engine-limits.js';
import { ENGINE_LIMIT_NAMES, type EngineLimitsDraft } from './engine-limits-draft.js';

/** The bot's AIML engine limits, applied by the Platform to the running bot from its next reply. */
export function EngineLimitsFieldset({ value, onChange }: { value: EngineLimitsDraft; onChange: (name: EngineLimitName, text: string) => void }) {
  return (
    <fieldset>
      <legend>AIML engine limits</legend>
      {ENGINE_LIMIT_NAMES.map((name) => (
        <LimitField key={name} name={name} value={value[name]} onChange={(text) => onChange(name, text)} />
      ))}
    </fieldset>
  );
}

function LimitField({ name, value, onChange }: { name: EngineLimitName; value: string; onChange: (text: string) => void }) {
  const id = useId();
  const { label, min, max, help } = ENGINE_LIMIT_FIELDS[name];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {/* No min/max attributes: the form explains a value out of range in its own words (the browser would only block). */}
      <input id={id} type="number" inputMode="numeric" step="1" value={value} aria-describedby={`${id}-help`} onChange={(e) => onChange(e.target.value)} />
      <span id={`${id}-help`} className="choice-help">
        {help} From {min.toLocaleString('en')} to {max.toLocaleString('en')}.
      </span>
    </div>
  );
}
