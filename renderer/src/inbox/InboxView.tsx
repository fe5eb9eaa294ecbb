import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ConversationFilter } from '../../../protocol/conversation.js';
import type { AppState } from '../../../protocol/studio-api.js';
import { isTextField, neighbour, shortcutFor } from '../app/keyboard-map.js';
import { LoadError } from '../app/LoadError.js';
import { useNow } from '../app/studio-context.js';
import { useConversations } from '../data/hooks.js';
import { updateCachedMemory, useDraftSaver, useViewMemory } from '../data/view-memory.js';
import { BOT_SWITCH_ID, useToggleBot } from './BotActiveSwitch.js';
import { CONVERSATION_LIST_ID, ConversationList } from './ConversationList.js';
import { ConversationPane } from './ConversationPane.js';
import { FILTERS, filterCounts, matchesFilter, visibleConversations } from './filters.js';
import { HistorySearch, type HistoryResults } from './HistorySearch.js';
import { REPLY_BOX_ID } from './ReplyBox.js';

export const SEARCH_ID = 'conversation-search';

interface Props {
  appState: AppState;
  selectedId: string | undefined;
  onSelect: (id: string | undefined) => void;
}

export function InboxView({ appState, selectedId, onSelect }: Props) {
  const conversations = useConversations();
  const now = useNow(15_000);
  const [filter, setFilter] = useState<ConversationFilter>('all');
  const [query, setQuery] = useState('');
  // Typing stays instant while 10,000 rows are filtered a moment later.
  const deferredQuery = useDeferredValue(query);
  // Unsent drafts survive a reload and a restart: main keeps them (saved as the designer types, and on unload).
  const queryClient = useQueryClient();
  const memory = useViewMemory();
  const [drafts, setDrafts] = useState<Record<string, string>>(() => ({ ...memory.data?.drafts }));
  const draftSaver = useDraftSaver();
  // The drafts as of the latest keystroke, for a send that completes later.
  const draftsNow = useRef(drafts);

  const list = useMemo(() => conversations.data ?? [], [conversations.data]);
  const [history, setHistory] = useState<HistoryResults | undefined>();
  const trimmedQuery = deferredQuery.trim();
  const visible = useMemo(() => {
    const local = visibleConversations(list, filter, trimmedQuery, now);
    if (!history || history.query !== trimmedQuery || history.ids.size === 0) return local;
    const shown = new Set(local.map((c) => c.id));
    return list.filter((c) => shown.has(c.id) || (history.ids.has(c.id) && matchesFilter(c, filter, now)));
  }, [list, filter, trimmedQuery, now, history]);
  const counts = useMemo(() => filterCounts(list, now), [list, now]);
  const selected = useMemo(() => (selectedId === undefined ? undefined : list.find((c) => c.id === selectedId)), [list, selectedId]);
  const toggleBot = useToggleBot(selected);

  // Where the list and the conversation do not fit side by side, one shows at a time: the conversation once one
  // is chosen (clicked, opened with Enter, moved to with J/K, a notification), the list again after Back or
  // Escape. Arrowing through the list keeps the list: `listShownFor` is the conversation it was left or arrowed to.
  const [listShownFor, setListShownFor] = useState<string | undefined>();
  const showsConversation = selectedId !== undefined && selectedId !== listShownFor;
  const selectInList = (id: string, via: 'keyboard' | 'pointer') => {
    setListShownFor(via === 'keyboard' ? id : undefined);
    onSelect(id);
  };
  // flushSync: the element to focus may only just have been shown.
  const openSelected = () => {
    flushSync(() => setListShownFor(undefined));
    const reply = document.getElementById(REPLY_BOX_ID) as HTMLTextAreaElement | null;
    if (reply && !reply.disabled) reply.focus();
    // A conversation nobody can answer here (read-only, held by someone else): in a narrow window the list just
    // went away, so the keyboard goes to the way back to it.
    else if (document.activeElement === document.body || document.getElementById(CONVERSATION_LIST_ID)?.offsetParent === null) {
      document.querySelector<HTMLButtonElement>('.back-to-list')?.focus();
    }
  };
  const backToList = () => {
    flushSync(() => setListShownFor(selectedId));
    document.getElementById(CONVERSATION_LIST_ID)?.focus();
  };

  const keepDraft = useCallback(
    (id: string, text: string) => {
      draftsNow.current = { ...draftsNow.current, [id]: text };
      draftSaver.set(id, text);
      updateCachedMemory(queryClient, (m) => {
        m.drafts = { ...m.drafts, [id]: text };
      });
    },
    [draftSaver, queryClient],
  );
  const setDraft = useCallback(
    (id: string, text: string) => {
      setDrafts((d) => ({ ...d, [id]: text }));
      keepDraft(id, text);
    },
    [keepDraft],
  );
  const clearSent = useCallback(
    (id: string, sent: string) => {
      // Only what was sent is cleared: text typed while it was on its way stays.
      if (draftsNow.current[id]?.trim() !== sent) return;
      setDrafts((d) => (d[id]?.trim() === sent ? { ...d, [id]: '' } : d));
      keepDraft(id, '');
    },
    [keepDraft],
  );

  // Shortcuts of the inbox (the `?` sheet is the app's).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const action = shortcutFor(event, isTextField(event.target));
      if (!action || action === 'showShortcuts') return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      switch (action) {
        case 'nextConversation':
        case 'previousConversation': {
          const next = neighbour(
            visible.map((c) => c.id),
            selectedId,
            action === 'nextConversation' ? 1 : -1,
          );
          if (next !== undefined) onSelect(next);
          return;
        }
        case 'focusReply':
          if (selectedId !== undefined) flushSync(() => setListShownFor(undefined));
          document.getElementById(REPLY_BOX_ID)?.focus();
          return;
        case 'toggleBot':
          if (selected) {
            toggleBot.toggle();
            document.getElementById(BOT_SWITCH_ID)?.focus();
          }
          return;
        case 'focusSearch':
          flushSync(() => setListShownFor(selectedId));
          (document.getElementById(SEARCH_ID) as HTMLInputElement | null)?.select();
          return;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [visible, selectedId, selected, onSelect, toggleBot]);

  const emptyText =
    list.length === 0
      ? 'No conversations yet. They appear here the moment someone talks to your bot.'
      : deferredQuery.trim()
        ? `No conversations match “${deferredQuery.trim()}”.`
        : 'No conversations in this view.';

  return (
    <div className={`inbox${showsConversation ? ' shows-conversation' : ''}`}>
      <h1 className="visually-hidden">Inbox</h1>
      <aside className="inbox-sidebar" aria-label="Conversation list">
        <div className="inbox-tools">
          <input
            id={SEARCH_ID}
            type="search"
            aria-label="Search conversations"
            placeholder="Search names, bots, messages  ( / )"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && query) {
                event.preventDefault();
                setQuery('');
              } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
                event.preventDefault();
                if (visible[0] && (selectedId === undefined || !visible.some((c) => c.id === selectedId))) selectInList(visible[0].id, 'keyboard');
                else setListShownFor(selectedId);
                document.getElementById(CONVERSATION_LIST_ID)?.focus();
              }
            }}
          />
          <div className="filters" role="group" aria-label="Filter conversations">
            {FILTERS.map((f) => (
              <button key={f.id} type="button" aria-pressed={filter === f.id} className={`filter${f.id === 'needsHelp' && counts.needsHelp > 0 ? ' has-help' : ''}`} onClick={() => setFilter(f.id)}>
                {f.label} <span className="filter-count">{counts[f.id]}</span>
              </button>
            ))}
          </div>
        </div>
        {conversations.isPending ? (
          <p className="list-empty" role="status">
            Loading conversations…
          </p>
        ) : conversations.isError ? (
          <LoadError what="The conversations could not be loaded" error={conversations.error} onRetry={() => conversations.refetch()} />
        ) : (
          <ConversationList
            conversations={visible}
            selectedId={selectedId}
            now={now}
            onSelect={selectInList}
            onOpen={openSelected}
            emptyText={emptyText}
          />
        )}
        <HistorySearch query={trimmedQuery} results={history} onResults={setHistory} />
        <p className="visually-hidden" role="status" aria-live="polite">
          {conversations.isSuccess ? `${visible.length} of ${list.length} conversations shown` : ''}
        </p>
      </aside>
      {selected ? (
        <ConversationPane
          key={selected.id}
          conversation={selected}
          appState={appState}
          draft={drafts[selected.id] ?? ''}
          onDraftChange={(text) => setDraft(selected.id, text)}
          onSent={(text) => clearSent(selected.id, text)}
          onBack={backToList}
        />
      ) : (
        <section className="conversation-pane pane-empty">
          <h2>Live conversations</h2>
          <p>Pick a conversation on the left to read it, answer in the bot's voice, or switch the bot off.</p>
          <p>
            Press <kbd>?</kbd> for keyboard shortcuts.
          </p>
        </section>
      )}
    </div>
  );
}
