import { useId, useState } from 'react';
import { describeError } from '../client/studio-client.js';
import { PlatformForm } from '../settings/PlatformForm.js';
import { useStudio } from './studio-context.js';

/** Shown while no Platform is configured: the one question Studio has to ask before anything else works. */
export function FirstRun() {
  return (
    <main className="first-run">
      <div className="first-run-card">
        <h1>Welcome to Live Training Studio</h1>
        <p>
          Watch your bot's conversations as they happen, step in where it is weak, and every answer you give becomes
          AIML the bot uses from then on.
        </p>
        <DesignerName />
        <PlatformForm />
      </div>
    </main>
  );
}

/**
 * The name the local Platform creates this designer with (issue 10: without it, the computer account's name, such
 * as "root"). Saved when the field is left, which happens before the Platform is chosen with the button below.
 */
function DesignerName() {
  const { client } = useStudio();
  const id = useId();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const save = () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    client.invoke('settings.update', { designerName: trimmed }).then(
      () => setProblem(undefined),
      (error: unknown) => setProblem(`Your name was not saved: ${describeError(error)}`),
    );
  };
  return (
    <div className="first-run-name">
      <label htmlFor={id}>Your name</label>
      <input id={id} value={name} maxLength={80} autoComplete="name" onChange={(e) => setName(e.target.value)} onBlur={save} />
      <span className="choice-help">Other designers see it on the conversations you answer; end users never do. You can change it in Settings.</span>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
