import { useEffect, useState } from 'react';
import type { TrainingDiagnostic } from '../../../protocol/training.js';
import { useStudio } from '../app/studio-context.js';

type Field = 'pattern' | 'that' | 'topic' | 'template';

/** How long typing may pause before the engine checks the field. */
const SETTLE_MS = 200;

/**
 * The AIML engine's verdict on a field as the designer types (main validates: the renderer has no engine), a
 * moment after typing pauses. Undefined while a check is due.
 */
export function useFieldValidation(field: Field, text: string): TrainingDiagnostic[] | undefined {
  const { client, clock } = useStudio();
  const [result, setResult] = useState<{ text: string; diagnostics: TrainingDiagnostic[] } | undefined>();
  useEffect(() => {
    let live = true;
    const handle = clock.setTimeout(() => {
      client.invoke('training.validate', { field, text }).then(
        (r) => live && setResult({ text, diagnostics: r.diagnostics }),
        () => live && setResult({ text, diagnostics: [] }),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clock.clearTimeout(handle);
    };
  }, [client, clock, field, text]);
  return result?.text === text ? result.diagnostics : undefined;
}
