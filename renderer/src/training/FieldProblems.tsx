import type { TrainingDiagnostic } from '../../../protocol/training.js';

/** What the engine said about one field, under it (the field points here with aria-describedby). */
export function FieldProblems({ id, diagnostics }: { id: string; diagnostics: TrainingDiagnostic[] | undefined }) {
  const shown = diagnostics ?? [];
  return (
    <ul id={id} className="field-problems" aria-live="polite">
      {shown.map((d, i) => (
        <li key={i} className={d.severity === 'error' ? 'problem-error' : 'problem-warning'}>
          {d.severity === 'error' ? 'Error' : 'Note'}
          {d.line > 0 ? ` (line ${d.line}, column ${d.column})` : ''}: {d.message}
        </li>
      ))}
    </ul>
  );
}
