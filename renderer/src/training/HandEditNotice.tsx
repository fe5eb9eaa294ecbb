import type { TrainingWorkspace } from '../../../protocol/training.js';

/**
 * What became of the designer's own edit of `pand_livetraining.aiml` (made in an editor, outside Studio): taken in as
 * an import on the Platform. Invalid AIML is named with its file and line, an answer that differs from a learned one
 * is listed with both, and the edited file is kept aside so nothing of it is lost.
 */
export function HandEditNotice({ handEdit }: { handEdit: TrainingWorkspace['handEdit'] }) {
  if (!handEdit) return null;
  const { added, conflicts, errors, keptAt } = handEdit;
  const rejected = errors.length > 0 || conflicts.length > 0;
  return (
    <div className={`banner ${rejected ? 'banner-error' : 'banner-info'} training-banner`} role={rejected ? 'alert' : 'status'}>
      <p>
        Your edit of <code>pand_livetraining.aiml</code> was taken in: {added === 1 ? '1 category added' : `${added} categories added`}.
        {rejected && ' Not all of it could be used:'}
      </p>
      {errors.length > 0 && (
        <ul>
          {errors.slice(0, 10).map((d, i) => (
            <li key={i}>
              {d.file}, line {d.line}, column {d.column}: {d.message}
            </li>
          ))}
        </ul>
      )}
      {conflicts.length > 0 && (
        <ul>
          {conflicts.map((c) => (
            <li key={`${c.pattern}\u0000${c.that}\u0000${c.topic}`}>
              {c.pattern} already answers “{c.current}”; your file says “{c.imported}”. The learned answer is kept: edit it in Training to change it.
            </li>
          ))}
        </ul>
      )}
      {keptAt && (
        <p>
          Your edited file was kept at <code>{keptAt}</code>.
        </p>
      )}
    </div>
  );
}
