import type { Clock } from '../../protocol/clock.js';
import type { Channel, ConversationSummary, DesignerRef, MatchInfo, Message, SystemNotice } from '../../protocol/conversation.js';
import type { DomainEvent } from '../../protocol/designer-wire.js';
import { LIMITS } from '../../protocol/limits.js';
import type { RobotNameGenerator } from '../names/robot-names.js';
import type { LiveTrainingSettingsStore } from '../settings/live-training-settings.js';
import type { ConversationRow, MessageRow, Repository } from '../storage/repository.js';
import { decideReply, decideToggle, leaseExpiry, mayCommitBotReply, type ReplyTicket } from './conversation-rules.js';
import type { EventHub } from './event-hub.js';
import { InactivityLease } from './inactivity-lease.js';
import { RuleError } from './rule-errors.js';

export interface ConversationServiceDeps {
  repo: Repository;
  clock: Clock;
  names: RobotNameGenerator;
  settings: LiveTrainingSettingsStore;
  hub: EventHub;
  newConversationId: () => string;
  /** A conversation counts as live for name collisions while its user is online or was active this recently. */
  liveWindowMs?: number;
  /** How many events each bot's log keeps for designers to resume from (older gaps get a snapshot). */
  eventRetention?: number;
  /** Reports a conversation the Platform resumed on its own lease (for logs). */
  onInactivityResume?: (conversationId: string) => void;
}

export interface CommandOutcome {
  messages: Message[];
  eventIds: number[];
}

/** What an answer from the bot looks like to the rules (the bot registry's BotAnswer satisfies it). */
export interface BotReply {
  text: string;
  match: MatchInfo[];
}

export function toMessage(m: MessageRow): Message {
  const out: Message = { id: `${m.conversationId}-${m.seq}`, conversationId: m.conversationId, seq: m.seq, author: m.author, text: m.text, at: m.at };
  if (m.designer) out.designer = m.designer;
  if (m.notice) out.notice = m.notice;
  if (m.match) out.match = m.match;
  if (m.clientId) out.clientId = m.clientId;
  return out;
}

export function toSummary(c: ConversationRow): ConversationSummary {
  const out: ConversationSummary = {
    id: c.id,
    bot: c.bot,
    clientName: c.clientName,
    channel: c.channel,
    startedAt: c.startedAt,
    lastActivityAt: c.lastActivityAt,
    state: c.state,
    online: c.online > 0,
    lastSeq: c.lastSeq,
    fellBack: c.fellBack,
    readOnly: c.readOnly,
  };
  if (c.heldBy) out.heldBy = c.heldBy;
  if (c.pausedAt != null) out.pausedAt = c.pausedAt;
  if (c.lastMessage) out.lastMessage = c.lastMessage;
  if (c.waitingSince != null) out.waitingSince = c.waitingSince;
  return out;
}

/**
 * The conversation engine: every change to a conversation goes through here, in one transaction with the events it
 * causes, and the events reach subscribers only after the commit (DESIGN.md sections 3-4).
 */
export class ConversationService {
  private readonly lease: InactivityLease;
  private readonly liveWindowMs: number;
  private readonly eventRetention: number;
  private readonly appendsSincePrune = new Map<string, number>();

  constructor(private readonly deps: ConversationServiceDeps) {
    this.liveWindowMs = deps.liveWindowMs ?? 30 * 60_000;
    this.eventRetention = deps.eventRetention ?? 20_000;
    this.lease = new InactivityLease(deps.clock, (id) => this.leaseExpired(id));
  }

  /** After a restart: nobody is online, and every held conversation gets its lease back (expired ones resume now). */
  start(): void {
    this.deps.repo.resetPresence();
    for (const c of this.deps.repo.pausedConversations()) {
      this.renewLease(c);
      // Ran out while the Platform was down: resume now rather than on the next timer turn.
      const hold = this.lease.get(c.id);
      if (hold && hold.expiresAt <= this.deps.clock.now()) {
        this.lease.delete(c.id);
        this.leaseExpired(c.id);
      }
    }
  }

  close(): void {
    this.lease.close();
  }

  get(conversationId: string): ConversationRow | undefined {
    return this.deps.repo.getConversation(conversationId);
  }

  findBySession(bot: string, sessionKey: string): ConversationRow | undefined {
    return this.deps.repo.findConversationBySession(bot, sessionKey);
  }

  /** A new conversation with a robot name no live conversation has. */
  startConversation(o: { bot: string; channel: Channel; sessionKey: string; readOnly?: boolean; clientName?: string; online?: boolean }): ConversationRow {
    const { repo, clock } = this.deps;
    return repo.transaction(() => {
      const existing = repo.findConversationBySession(o.bot, o.sessionKey);
      if (existing) return existing;
      const now = clock.now();
      const since = now - this.liveWindowMs;
      // A few indexed look-ups while most names are free; once they are not, the set of live names, read at most
      // every few seconds (names given out meanwhile are added to it), so a busy Platform does not re-read it for
      // every new conversation.
      let checks = 0;
      const inUse = (name: string) => (++checks <= 8 ? repo.clientNameInUse(name, since) : this.liveNames(now, since).has(name));
      const row: ConversationRow = {
        id: this.deps.newConversationId(),
        bot: o.bot,
        clientName: o.clientName ?? this.deps.names.next(inUse),
        channel: o.channel,
        sessionKey: o.sessionKey,
        startedAt: now,
        lastActivityAt: now,
        state: 'active',
        heldBy: null,
        pausedAt: null,
        pauseReason: null,
        pauseEpoch: 0,
        lastSeq: 0,
        lastMessage: null,
        fellBack: false,
        waitingSince: null,
        online: o.online ? 1 : 0,
        readOnly: o.readOnly ?? false,
      };
      repo.ensureBot(o.bot);
      repo.insertConversation(row);
      this.liveNameCache?.names.add(row.clientName);
      this.emit(o.bot, { type: 'conversation.started', conversation: toSummary(row) });
      return row;
    });
  }

  /** An end-user channel opened (+1) or closed (-1); designers hear when the first opens and the last closes. */
  presence(conversationId: string, delta: 1 | -1): void {
    const { repo } = this.deps;
    repo.transaction(() => {
      const c = repo.getConversation(conversationId);
      if (!c) return;
      const online = Math.max(0, c.online + delta);
      repo.updateConversation(conversationId, { online });
      if ((c.online > 0) !== (online > 0)) this.emit(c.bot, { type: 'conversation.presence', conversationId, online: online > 0 });
    });
  }

  /**
   * Stores an end user's message (before anyone hears of it). A message whose client id was already stored is a
   * retry: nothing new is stored and no second reply is made. In an active conversation the result carries a ticket
   * for the bot's reply, to be committed with `commitBotReply`.
   */
  acceptUserMessage(conversationId: string, text: string, clientId: string | null): { message: MessageRow; duplicate: boolean; ticket?: ReplyTicket } {
    const { repo, clock } = this.deps;
    return repo.transaction(() => {
      const c = repo.getConversation(conversationId);
      if (!c) throw RuleError.notFound(conversationId);
      if (clientId) {
        const earlier = repo.findMessageByClientId(conversationId, clientId);
        if (earlier) return { message: earlier, duplicate: true };
      }
      if (c.lastSeq >= LIMITS.conversationMessages) throw RuleError.full(LIMITS.conversationMessages);
      const now = clock.now();
      const message = this.append(c, { author: 'user', text, at: now, clientId });
      if (c.state === 'paused' && c.waitingSince == null) repo.updateConversation(c.id, { waitingSince: now });
      const ticket = c.state === 'active' ? { conversationId, bot: c.bot, inputSeq: message.seq, input: text, pauseEpoch: c.pauseEpoch } : undefined;
      return { message, duplicate: false, ticket };
    });
  }

  /** Commits the bot's reply if the conversation is still the bot's (see `mayCommitBotReply`); else drops it. */
  commitBotReply(ticket: ReplyTicket, reply: BotReply): MessageRow | undefined {
    const { repo, clock } = this.deps;
    return repo.transaction(() => {
      const c = repo.getConversation(ticket.conversationId);
      if (!c || !mayCommitBotReply(c, ticket)) return undefined;
      const fellBack = reply.match.some((m) => m.defaultCategory);
      const message = this.append(c, { author: 'bot', text: reply.text, at: clock.now(), match: reply.match });
      if (fellBack && !c.fellBack) repo.updateConversation(c.id, { fellBack: true });
      return message;
    });
  }

  /** A designer's reply: the takeover when the bot is active (pause, paused notice, reply: consecutive seqs). */
  reply(designer: DesignerRef, conversationId: string, text: string): CommandOutcome & { tookOver: boolean } {
    const { repo, clock } = this.deps;
    const outcome = repo.transaction(() => {
      const c = this.mustGet(conversationId);
      const decision = decideReply(c, designer);
      const now = clock.now();
      repo.touchDesigner(designer.id, now);
      const out: CommandOutcome & { tookOver: boolean } = { messages: [], eventIds: [], tookOver: decision.kind === 'takeover' };
      let current = c;
      if (decision.kind === 'takeover') current = this.pause(current, designer, 'takeover', now, out);
      const human = this.append(current, { author: 'human', text, at: now, designer }, out);
      out.messages.push(toMessage(human));
      repo.updateConversation(c.id, { waitingSince: null });
      return out;
    });
    this.renewLeasesOf(designer.id);
    return outcome;
  }

  /** The "Bot active" switch: on sends the reactivated notice, off pauses with the paused notice. */
  setBotActive(designer: DesignerRef, conversationId: string, active: boolean): CommandOutcome & { changed: boolean } {
    const { repo, clock } = this.deps;
    const outcome = repo.transaction(() => {
      const c = this.mustGet(conversationId);
      const decision = decideToggle(c, designer, active);
      const now = clock.now();
      repo.touchDesigner(designer.id, now);
      const out: CommandOutcome & { changed: boolean } = { messages: [], eventIds: [], changed: decision.kind !== 'unchanged' };
      if (decision.kind === 'pause') this.pause(c, designer, 'manual', now, out);
      if (decision.kind === 'resume') this.resume(c, 'designer', now, out, designer);
      return out;
    });
    this.renewLeasesOf(designer.id);
    return outcome;
  }

  /** Renews the designer's lease on everything they hold; returns the holds with their new expiries. */
  designerActivity(designerId: string): Array<{ conversationId: string; bot: string; expiresAt: number }> {
    this.deps.repo.touchDesigner(designerId, this.deps.clock.now());
    this.renewLeasesOf(designerId);
    return this.lease.heldBy(designerId);
  }

  /** Studio saw its designer idle: everything they hold resumes now with the inactivity notice. */
  designerIdle(designerId: string): { resumed: string[]; eventIds: number[] } {
    const { repo, clock } = this.deps;
    return repo.transaction(() => {
      const resumed: string[] = [];
      const out: CommandOutcome = { messages: [], eventIds: [] };
      for (const hold of this.lease.heldBy(designerId)) {
        const c = repo.getConversation(hold.conversationId);
        if (!c || c.state !== 'paused' || c.heldBy?.id !== designerId) continue;
        this.resume(c, 'inactivity', clock.now(), out);
        resumed.push(c.id);
      }
      return { resumed, eventIds: out.eventIds };
    });
  }

  /** Recomputes every lease, e.g. after a bot's inactivity timeout changed. */
  renewAllLeases(): void {
    for (const hold of this.lease.all()) {
      const c = this.deps.repo.getConversation(hold.conversationId);
      if (c) this.renewLease(c);
    }
  }

  /** Appends an event outside a conversation change (settings, bot reloads). */
  publish(bot: string, event: DomainEvent): number {
    return this.deps.repo.transaction(() => this.emit(bot, event));
  }

  // ---- internals ----

  private liveNameCache: { readAt: number; names: Set<string> } | undefined;

  private liveNames(now: number, since: number): Set<string> {
    if (!this.liveNameCache || now - this.liveNameCache.readAt > 5_000 || now < this.liveNameCache.readAt) {
      this.liveNameCache = { readAt: now, names: this.deps.repo.liveClientNames(since) };
    }
    return this.liveNameCache.names;
  }

  private mustGet(conversationId: string): ConversationRow {
    const c = this.deps.repo.getConversation(conversationId);
    if (!c) throw RuleError.notFound(conversationId);
    return c;
  }

  private emit(bot: string, event: DomainEvent, out?: CommandOutcome): number {
    const { repo, hub, clock } = this.deps;
    const envelope = repo.appendEvent(bot, clock.now(), event);
    out?.eventIds.push(envelope.id);
    repo.afterCommit(() => hub.publish(envelope));
    const n = (this.appendsSincePrune.get(bot) ?? 0) + 1;
    if (n >= Math.min(1000, this.eventRetention)) {
      repo.pruneEvents(bot, this.eventRetention);
      this.appendsSincePrune.set(bot, 0);
    } else this.appendsSincePrune.set(bot, n);
    return envelope.id;
  }

  /** Appends the next message of the conversation; `c` is updated in place so consecutive appends chain. */
  private append(
    c: ConversationRow,
    m: { author: MessageRow['author']; text: string; at: number; clientId?: string | null; designer?: DesignerRef; notice?: SystemNotice; match?: MatchInfo[] },
    out?: CommandOutcome,
  ): MessageRow {
    const row: MessageRow = {
      conversationId: c.id,
      seq: c.lastSeq + 1,
      author: m.author,
      text: m.text,
      at: m.at,
      designer: m.designer ?? null,
      notice: m.notice ?? null,
      match: m.match ?? null,
      clientId: m.clientId ?? null,
    };
    const repo = this.deps.repo;
    repo.insertMessage(row);
    c.lastSeq = row.seq;
    c.lastActivityAt = row.at;
    c.lastMessage = { author: row.author, text: row.text, at: row.at, seq: row.seq };
    repo.recordLastMessage(c.id, c.lastMessage);
    this.emit(c.bot, { type: 'message.created', message: toMessage(row) }, out);
    return row;
  }

  private pause(c: ConversationRow, designer: DesignerRef, reason: 'takeover' | 'manual', now: number, out: CommandOutcome): ConversationRow {
    const repo = this.deps.repo;
    c.state = 'paused';
    c.heldBy = { id: designer.id, name: designer.name };
    c.pausedAt = now;
    c.pauseReason = reason;
    c.pauseEpoch += 1;
    repo.updateConversation(c.id, { state: 'paused', heldBy: c.heldBy, pausedAt: now, pauseReason: reason, pauseEpoch: c.pauseEpoch });
    this.emit(c.bot, { type: 'conversation.paused', conversationId: c.id, heldBy: c.heldBy, at: now, reason }, out);
    const notice = this.append(c, { author: 'system', text: this.deps.settings.get(c.bot).pausedMessage, at: now, notice: 'paused' }, out);
    out.messages.push(toMessage(notice));
    repo.afterCommit(() => this.renewLease(c));
    return c;
  }

  private resume(c: ConversationRow, reason: 'designer' | 'inactivity', now: number, out: CommandOutcome, by?: DesignerRef): void {
    const repo = this.deps.repo;
    c.state = 'active';
    c.heldBy = null;
    c.pausedAt = null;
    c.pauseReason = null;
    c.waitingSince = null;
    repo.updateConversation(c.id, { state: 'active', heldBy: null, pausedAt: null, pauseReason: null, waitingSince: null });
    const event: DomainEvent = { type: 'conversation.resumed', conversationId: c.id, at: now, reason };
    if (by) event.by = by;
    this.emit(c.bot, event, out);
    const settings = this.deps.settings.get(c.bot);
    const text = reason === 'inactivity' ? settings.inactivityMessage : settings.reactivatedMessage;
    const notice = this.append(c, { author: 'system', text, at: now, notice: reason === 'inactivity' ? 'inactivity' : 'reactivated' }, out);
    out.messages.push(toMessage(notice));
    repo.afterCommit(() => this.lease.delete(c.id));
  }

  private renewLease(c: ConversationRow): void {
    if (c.state !== 'paused' || !c.heldBy) {
      this.lease.delete(c.id);
      return;
    }
    const holder = this.deps.repo.designerById(c.heldBy.id);
    const timeout = this.deps.settings.get(c.bot).inactivityTimeoutMs;
    this.lease.set(c.id, c.heldBy.id, c.bot, leaseExpiry(c.pausedAt ?? 0, holder?.lastActivityAt ?? null, timeout));
  }

  private renewLeasesOf(designerId: string): void {
    for (const hold of this.lease.heldBy(designerId)) {
      const c = this.deps.repo.getConversation(hold.conversationId);
      if (c) this.renewLease(c);
    }
  }

  /** The lease ran out: re-check against the stored state (the holder may have been active since) before resuming. */
  private leaseExpired(conversationId: string): void {
    const { repo, clock } = this.deps;
    const c = repo.getConversation(conversationId);
    if (!c || c.state !== 'paused' || !c.heldBy) return;
    const holder = repo.designerById(c.heldBy.id);
    const expiresAt = leaseExpiry(c.pausedAt ?? 0, holder?.lastActivityAt ?? null, this.deps.settings.get(c.bot).inactivityTimeoutMs);
    const now = clock.now();
    if (expiresAt > now) {
      this.lease.set(c.id, c.heldBy.id, c.bot, expiresAt);
      return;
    }
    repo.transaction(() => {
      const fresh = repo.getConversation(conversationId);
      if (fresh && fresh.state === 'paused') this.resume(fresh, 'inactivity', now, { messages: [], eventIds: [] });
    });
    this.deps.onInactivityResume?.(conversationId);
  }
}
