import { useMutation } from '@tanstack/react-query';
import type { AppState, ConversationView } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { BotActiveSwitch } from './BotActiveSwitch.js';
import { HandBackCountdown } from './HandBackCountdown.js';
import { ReplyBox } from './ReplyBox.js';
import { CHANNEL_LABELS, stateLabel } from './state-label.js';
import { Transcript } from './Transcript.js';

interface Props {
  conversation: ConversationView;
  appState: AppState;
  draft: string;
  onDraftChange: (text: string) => void;
  onSent: (text: string) => void;
  /** Back to the conversation list: the button shows only where the list and the conversation do not fit side by side. */
  onBack: () => void;
}

/** The open conversation: who, who is answering, the transcript and the reply box. */
export function ConversationPane({ conversation: c, appState, draft, onDraftChange, onSent, onBack }: Props) {
  const state = stateLabel(c);
  return (
    <section className="conversation-pane" aria-labelledby="conversation-title">
      <header className="pane-header">
        <button type="button" className="back-to-list" aria-label="Back to conversations" onClick={onBack}>
          <span aria-hidden="true">←</span>
        </button>
        <div className="pane-title">
          <h2 id="conversation-title">{c.clientName}</h2>
          <p className="pane-meta">
            <span className={`presence-dot${c.online ? ' is-online' : ''}`} aria-hidden="true" />
            {c.online ? 'Online' : 'Offline'} · {c.bot} · {CHANNEL_LABELS[c.channel]}
            {c.readOnly ? ' · read-only' : ''}
          </p>
        </div>
        <div className="pane-controls">
          {c.state === 'paused' && (
            <span className={`state-badge tone-${state.tone}`} role="status">
              {state.text}
            </span>
          )}
          <BotActiveSwitch conversation={c} />
          <ExportButton conversationId={c.id} host={appState.host} />
        </div>
      </header>
      {c.heldByMe && <HandBackCountdown timeoutMs={appState.bots.find((b) => b.name === c.bot)?.settings.inactivityTimeoutMs} />}
      <Transcript key={c.id} conversation={c} me={appState.designer} />
      <ReplyBox conversation={c} draft={draft} onDraftChange={onDraftChange} onSent={onSent} onBack={onBack} />
    </section>
  );
}

/** Saves the transcript as a text file: a download in the browser; Electron's main shows its own save dialog. */
function ExportButton({ conversationId, host }: { conversationId: string; host: AppState['host'] }) {
  const { client } = useStudio();
  const exportIt = useMutation({
    mutationFn: () => client.invoke('conversation.exportTranscript', { conversationId }),
    onSuccess: ({ fileName, text }) => {
      if (host !== 'browser') return;
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  return (
    <div className="export">
      <button type="button" onClick={() => exportIt.mutate()} disabled={exportIt.isPending}>
        Export transcript
      </button>
      {exportIt.isError && (
        <p className="form-error" role="alert">
          Export failed: {describeError(exportIt.error)}
        </p>
      )}
      {exportIt.isSuccess && host !== 'browser' && (
        <p className="form-ok" role="status">
          Saved {exportIt.data.fileName}
        </p>
      )}
    </div>
  );
}
