import type { ConversationSummary, DesignerRef, Message } from '../protocol/conversation.js';
import type { DomainEvent, EventEnvelope } from '../protocol/designer-wire.js';
import type { ConversationView } from '../protocol/studio-api.js';
import { MemoryReadMarks, type ReadMarks } from './read-marks.js';

/** What changed in the cache, for the Studio API's event stream, notifications and capture. */
export type CacheChange =
  | { type: 'reset' }
  | { type: 'upsert'; views: ConversationView[] }
  | { type: 'appended'; conversationId: string; messages: Message[] }
  /** A conversation began while Studio was watching (not one found in a snapshot or a list page). */
  | { type: 'started'; view: ConversationView }
  /** A new message arrived live; `view` is the conversation after it. */
  | { type: 'message'; view: ConversationView; message: Message };

interface Entry {
  summary: ConversationSummary;
  /** Highest sequence number the designer has read. */
  readSeq: number;
  /** Sequence numbers of user messages after readSeq (unread = how many). */
  unreadSeqs: number[];
}

/**
 * The conversations this designer knows of, kept current from the link's snapshots and events and from list
 * pages, with what is local to the designer: unread user messages and whether they hold it.
 */
export class ConversationCache {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(change: CacheChange) => void>();
  /** Conversations being fetched after an event about one Studio did not know; events meanwhile are in the fetch. */
  private readonly fetching = new Set<string>();
  private me: DesignerRef | undefined;
  private readMarks: ReadMarks = new MemoryReadMarks();

  constructor(private readonly fetchSummary: (conversationId: string) => Promise<ConversationSummary | undefined> = async () => undefined) {}

  /** Where read marks are remembered (per Platform and designer); set before the first snapshot. */
  useReadMarks(marks: ReadMarks): void {
    this.readMarks = marks;
  }

  subscribe(listener: (change: CacheChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get designer(): DesignerRef | undefined {
    return this.me;
  }

  setDesigner(me: DesignerRef): void {
    const changed = this.me?.id !== me.id;
    this.me = me;
    if (changed && this.entries.size > 0) this.emit({ type: 'upsert', views: this.views() });
  }

  /** Most recent activity first. */
  views(): ConversationView[] {
    return [...this.entries.values()].map((e) => this.view(e)).sort((a, b) => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : 1));
  }

  get(conversationId: string): ConversationView | undefined {
    const e = this.entries.get(conversationId);
    return e && this.view(e);
  }

  /**
   * Unread user messages a designer can act on: what the badge counts. Read-only conversations (the bot API's)
   * keep their own count in the list but stay out of it, as they are never announced either: thousands of API
   * calls would otherwise bury the one live user waiting for an answer.
   */
  totalUnread(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.summary.readOnly) n += e.unreadSeqs.length;
    return n;
  }

  /** Conversations this designer holds, with their bot. */
  held(): ConversationView[] {
    return this.views().filter((v) => v.heldByMe);
  }

  /** Drops everything (switching to another Platform). */
  clear(): void {
    this.entries.clear();
    this.fetching.clear();
    this.me = undefined;
    this.emit({ type: 'reset' });
  }

  /** A snapshot replaces what Studio knew of that bot's conversations; read marks of those kept survive. */
  applySnapshot(bot: string, conversations: ConversationSummary[]): void {
    const previous = new Map<string, Entry>();
    for (const [id, e] of this.entries) {
      if (e.summary.bot !== bot) continue;
      previous.set(id, e);
      this.entries.delete(id);
    }
    for (const s of conversations) {
      this.fetching.delete(s.id);
      this.entries.set(s.id, this.freshEntry(s, previous.get(s.id)));
    }
    this.emit({ type: 'reset' });
  }

  /** Summaries from a list or search page: newer than what the cache has for them. */
  applyList(conversations: ConversationSummary[]): ConversationView[] {
    const views = conversations.map((s) => {
      const entry = this.freshEntry(s, this.entries.get(s.id));
      this.entries.set(s.id, entry);
      return this.view(entry);
    });
    if (views.length) this.emit({ type: 'upsert', views });
    return views;
  }

  markRead(conversationId: string, seq: number): void {
    const e = this.entries.get(conversationId);
    if (!e || seq <= e.readSeq) return;
    e.readSeq = seq;
    this.readMarks.set(conversationId, seq);
    const before = e.unreadSeqs.length;
    e.unreadSeqs = e.unreadSeqs.filter((s) => s > seq);
    if (e.unreadSeqs.length !== before) this.emit({ type: 'upsert', views: [this.view(e)] });
  }

  applyEvent({ event }: EventEnvelope): void {
    // Bot-level events change the bot list (Studio keeps it), not a conversation.
    if (event.type === 'settings.updated' || event.type === 'bot.reloaded' || event.type === 'bot.created' || event.type === 'bot.deleted' || event.type === 'content.reported' || event.type === 'learned.changed') return;
    if (event.type === 'conversation.started') {
      const entry = this.freshEntry(event.conversation, this.entries.get(event.conversation.id));
      this.entries.set(event.conversation.id, entry);
      const view = this.view(entry);
      this.emit({ type: 'upsert', views: [view] });
      this.emit({ type: 'started', view });
      return;
    }
    const id = event.type === 'message.created' ? event.message.conversationId : event.conversationId;
    const entry = this.entries.get(id);
    if (!entry) {
      if (event.type === 'message.created') this.emit({ type: 'appended', conversationId: id, messages: [event.message] });
      this.fetchUnknown(id);
      return;
    }
    this.applyTo(entry, event);
  }

  private applyTo(entry: Entry, event: Exclude<DomainEvent, { type: 'conversation.started' | 'settings.updated' | 'bot.reloaded' | 'bot.created' | 'bot.deleted' | 'content.reported' | 'learned.changed' }>): void {
    const s = entry.summary;
    switch (event.type) {
      case 'message.created': {
        const m = event.message;
        if (m.seq <= s.lastSeq) return; // already part of the summary
        s.lastSeq = m.seq;
        s.lastActivityAt = Math.max(s.lastActivityAt, m.at);
        s.lastMessage = { author: m.author, text: m.text, at: m.at, seq: m.seq };
        if (m.author === 'bot' && m.match?.some((x) => x.defaultCategory)) s.fellBack = true;
        if (m.author === 'user' && s.state === 'paused' && s.waitingSince === undefined) s.waitingSince = m.at;
        if (m.author === 'human') s.waitingSince = undefined;
        if (m.author === 'user' && m.seq > entry.readSeq) entry.unreadSeqs.push(m.seq);
        // Replying is reading: everything up to your own reply is read.
        if (m.author === 'human' && m.designer && m.designer.id === this.me?.id) {
          entry.readSeq = Math.max(entry.readSeq, m.seq);
          this.readMarks.set(s.id, entry.readSeq);
          entry.unreadSeqs = entry.unreadSeqs.filter((x) => x > m.seq);
        }
        const view = this.view(entry);
        this.emit({ type: 'appended', conversationId: s.id, messages: [m] });
        this.emit({ type: 'upsert', views: [view] });
        this.emit({ type: 'message', view, message: m });
        return;
      }
      case 'conversation.paused':
        s.state = 'paused';
        s.heldBy = event.heldBy;
        s.pausedAt = event.at;
        break;
      case 'conversation.resumed':
        s.state = 'active';
        s.heldBy = undefined;
        s.pausedAt = undefined;
        s.waitingSince = undefined;
        break;
      case 'conversation.presence':
        s.online = event.online;
        break;
      case 'conversation.waiting':
        s.waitingSince = event.since;
        break;
    }
    this.emit({ type: 'upsert', views: [this.view(entry)] });
  }

  private fetchUnknown(id: string): void {
    if (this.fetching.has(id)) return;
    this.fetching.add(id);
    this.fetchSummary(id)
      .then((summary) => {
        if (!this.fetching.delete(id) || !summary) return;
        // Events that arrived while fetching are already part of this summary (one ordered socket).
        this.applyList([summary]);
      })
      .catch(() => {
        // It may have been deleted, or the link dropped: the next snapshot or list page brings it back.
        this.fetching.delete(id);
      });
  }

  private freshEntry(summary: ConversationSummary, previous: Entry | undefined): Entry {
    const s = structuredClone(summary);
    const readSeq = previous?.readSeq ?? this.readMarks.get(s.id) ?? 0;
    const unreadSeqs = (previous?.unreadSeqs ?? []).filter((x) => x > readSeq && x <= s.lastSeq);
    // A user message Studio did not see arrive: at least the last one is unread.
    const last = s.lastMessage;
    if (last && last.author === 'user' && last.seq > readSeq && !unreadSeqs.includes(last.seq)) unreadSeqs.push(last.seq);
    return { summary: s, readSeq, unreadSeqs };
  }

  private view(e: Entry): ConversationView {
    return { ...e.summary, unread: e.unreadSeqs.length, heldByMe: !!this.me && e.summary.heldBy?.id === this.me.id };
  }

  private emit(change: CacheChange): void {
    for (const l of this.listeners) l(change);
  }
}
