import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DesignerRef } from '../../../protocol/conversation.js';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { LoadError } from '../app/LoadError.js';
import { useNow, useStudio } from '../app/studio-context.js';
import { useWindowFocused } from '../app/use-window-focus.js';
import { describeError } from '../client/studio-client.js';
import { useTranscript } from '../data/hooks.js';
import { loadOlderMessages } from '../data/studio-queries.js';
import { updateCachedMemory, useScrollSaver, useViewMemory } from '../data/view-memory.js';
import { MessageItem } from './MessageItem.js';
import { firstUnreadSeq } from './unread-divider.js';

/** Start loading the previous page when the reader is this close to the top. */
const LOAD_OLDER_WITHIN_PX = 160;
/** Count as "at the bottom" (and follow new messages) within this distance. */
const STICK_WITHIN_PX = 48;

/**
 * The conversation's messages: the latest page first, older pages as the reader scrolls up (keeping their place),
 * following new messages while the reader is at the bottom, and marking them read while Studio has focus.
 * Mounted once per conversation (keyed by id), so "at open" means when this conversation was opened.
 */
export function Transcript({ conversation, me }: { conversation: ConversationView; me: DesignerRef | undefined }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const transcript = useTranscript(conversation.id);
  const now = useNow(30_000);
  const focused = useWindowFocused();
  const [atOpen] = useState(() => ({ unread: conversation.unread, lastSeq: conversation.lastSeq }));
  const messages = useMemo(() => transcript.data?.messages ?? [], [transcript.data]);
  const hasMore = transcript.data?.hasMore ?? false;
  const dividerSeq = useMemo(() => firstUnreadSeq(messages, atOpen.unread, atOpen.lastSeq), [messages, atOpen]);

  const older = useMutation({ mutationFn: () => loadOlderMessages(client, queryClient, conversation.id) });
  const loadOlder = () => {
    if (hasMore && !older.isPending) older.mutate();
  };

  // ---- scrolling ----
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const shownFirstSeq = useRef<number | undefined>(undefined);
  /** The oldest loaded message and how far below the top of the view it was at the last scroll. */
  const anchor = useRef<{ seq: number; offset: number } | undefined>(undefined);
  const placedInitially = useRef(false);
  // Where the reader left this transcript (before a reload, a restart, or another conversation): pixels above the newest.
  const memory = useViewMemory();
  const [savedFromBottom] = useState(() => memory.data?.scroll[conversation.id] ?? 0);
  const scrollSaver = useScrollSaver();

  const rememberAnchor = (el: HTMLDivElement) => {
    const first = el.querySelector<HTMLElement>('[data-seq]');
    if (first) anchor.current = { seq: Number(first.dataset.seq), offset: first.offsetTop - el.scrollTop };
  };

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || messages.length === 0) return;
    const firstSeq = messages[0]!.seq;
    const before = shownFirstSeq.current;
    shownFirstSeq.current = firstSeq;
    if (!placedInitially.current) {
      placedInitially.current = true;
      const divider = el.querySelector<HTMLElement>('.new-divider');
      if (savedFromBottom > 0) {
        el.scrollTop = Math.max(0, el.scrollHeight - el.clientHeight - savedFromBottom);
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_WITHIN_PX;
      } else if (divider) {
        el.scrollTop = Math.max(0, divider.offsetTop - el.clientHeight / 3);
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_WITHIN_PX;
      } else el.scrollTop = el.scrollHeight;
    } else if (before !== undefined && firstSeq < before && anchor.current) {
      // An older page went in above: put the message the reader had at the top back where it was.
      const kept = el.querySelector<HTMLElement>(`[data-seq="${anchor.current.seq}"]`);
      if (kept) el.scrollTop = kept.offsetTop - anchor.current.offset;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    rememberAnchor(el);
  }, [messages, savedFromBottom]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    stickToBottom.current = fromBottom < STICK_WITHIN_PX;
    const kept = stickToBottom.current ? 0 : Math.round(fromBottom);
    scrollSaver.set(conversation.id, kept);
    updateCachedMemory(queryClient, (m) => {
      m.scroll = { ...m.scroll, [conversation.id]: kept };
    });
    rememberAnchor(el);
    if (el.scrollTop < LOAD_OLDER_WITHIN_PX) loadOlder();
  };

  // ---- read state ----
  const lastSeq = messages.at(-1)?.seq ?? 0;
  const hasUnread = conversation.unread > 0;
  useEffect(() => {
    if (!focused || !hasUnread || lastSeq === 0) return;
    client.invoke('conversation.markRead', { conversationId: conversation.id, seq: lastSeq }).catch((error: unknown) => {
      console.warn('Could not mark the conversation read:', describeError(error));
    });
  }, [client, conversation.id, focused, hasUnread, lastSeq]);

  if (transcript.isPending) return <div className="transcript transcript-status" role="status">Loading messages…</div>;
  if (transcript.isError) {
    return (
      <LoadError className="transcript transcript-status" what="The messages could not be loaded" error={transcript.error} onRetry={() => transcript.refetch()} />
    );
  }

  return (
    <div ref={scrollRef} className="transcript" role="log" aria-label="Transcript" tabIndex={0} onScroll={onScroll}>
      <div className="transcript-top">
        {hasMore ? (
          <button type="button" className="link-button" onClick={loadOlder} disabled={older.isPending}>
            {older.isPending ? 'Loading earlier messages…' : 'Load earlier messages'}
          </button>
        ) : (
          <p className="transcript-start">Start of the conversation</p>
        )}
        {older.isError && <p role="alert">Earlier messages could not be loaded: {describeError(older.error)}</p>}
      </div>
      {messages.length === 0 && <p className="transcript-start">No messages yet.</p>}
      {messages.map((m) => (
        <Fragment key={m.seq}>
          {m.seq === dividerSeq && (
            <div className="new-divider" role="separator" aria-label="New messages">
              <span>New messages</span>
            </div>
          )}
          <MessageItem message={m} clientName={conversation.clientName} me={me} now={now} />
        </Fragment>
      ))}
    </div>
  );
}
