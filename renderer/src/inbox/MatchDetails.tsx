import type { MatchInfo } from '../../../protocol/conversation.js';

/** The "What matched" disclosure of a bot reply: which category answered each input sentence. */
export function MatchDetails({ match }: { match: readonly MatchInfo[] }) {
  if (match.length === 0) return null;
  return (
    <details className="match-details">
      <summary>What matched</summary>
      {match.map((m, i) => (
        <div key={i} className="match-entry">
          {match.length > 1 && <p className="match-sentence">Sentence {i + 1}</p>}
          {m.defaultCategory && <p className="match-note">The bot fell back to its default category.</p>}
          <dl>
            <dt>Pattern</dt>
            <dd>
              <code>{m.pattern}</code>
            </dd>
            <dt>That</dt>
            <dd>
              <code>{m.that || '*'}</code>
            </dd>
            <dt>Topic</dt>
            <dd>
              <code>{m.topic || '*'}</code>
            </dd>
            <dt>File</dt>
            <dd>
              <code>{m.file}</code>
            </dd>
            {m.srai && m.srai.length > 0 && (
              <>
                <dt>Via srai</dt>
                <dd>
                  <code>{m.srai.join(' → ')}</code>
                </dd>
              </>
            )}
            {m.limit && (
              <>
                <dt>Cut short</dt>
                <dd>{m.limit}</dd>
              </>
            )}
          </dl>
        </div>
      ))}
    </details>
  );
}
