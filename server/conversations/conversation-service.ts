import type { Clock } from '../../protocol/clock.js';
import type { Channel, ConversationSummary, DesignerRef, MatchInfo, Message, SystemNotice } from '../../protocol/conversation.js';
import type { LiveTrainingSettings } from '../../protocol/bot-settings.js';
import type { DomainEvent } from '../../protocol/designer-wire.js';
import { LIMITS } from '../../protocol/limits.js';
import type { RobotNameGenerator } from '../names/robot-names.js';
import type { LiveTrainingSettingsStore } from '../settings/live-training-settings.js';
import type { ConversationRow, EventAtCommit, MessageRow, Storage, StorageReads, StorageTx } from '../storage/storage.js';
import { newConversationRow } from '../storage/rows.js';
import { decideReply, decideToggle, leaseExpiry, mayCommitBotReply, type ReplyTicket } from './conversation-rules.js';
import type { EventHub } from './event-hub.js';
import { InactivityLease, type Hold } from './inactivity-lease.js';
import { RuleError } from './rule-errors.js';

export interface ConversationServiceDeps {
  storage: Storage;
  /** This Platform process: presence is counted per instance (storage.ts, changePresence). */
  instanceId: string;
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
  /** A lease ran out but its hand-back could not be stored (for logs). */
  onLeaseError?: (conversationId: string, error: unknown) => void;
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

/** A hand-back that could not be stored is tried again after this long (clock time). */
const LEASE_RETRY_MS = 5_000;

/** A lease the service will set once the transaction that decided it has committed. */
interface PlannedLease {
  conversationId: string;
  holderId: string;
  bot: string;
  expiresAt: number;
}

/**
 * The conversation engine: every change to a conversation goes through here, each public method in ONE storage
 * transaction with the events it causes (the read, the rule's check and the write: `lockConversation` keeps the
 * conversation from changing underneath, on any backend), and the events reach subscribers only after the commit
 * (DESIGN.md sections 3-4). A method given a `tx` runs in the caller's transaction (the designer gateway's
 * at-most-once record commits with the change it reports).
 */
export class ConversationService {
  private readonly lease: InactivityLease;
  private readonly liveWindowMs: number;
  private readonly eventRetention: number;
  private readonly appendsSincePrune = new Map<string, number>();

  constructor(private readonly deps: ConversationServiceDeps) {
    this.liveWindowMs = deps.liveWindowMs ?? 30 * 60_000;
    this.eventRetention = deps.eventRetention ?? 20_000;
    this.lease = new InactivityLease(deps.clock, (id, hold) => void this.leaseExpired(id, hold));
  }

  /** After a restart: every held conversation gets its lease back (expired ones resume now). */
  async start(): Promise<void> {
    for (const c of await this.deps.storage.pausedConversations()) {
      const planned = await this.planLease(this.deps.storage, c);
      // Ran out while the Platform was down: resume now rather than on the next timer turn.
      if (planned && planned.expiresAt <= this.deps.clock.now()) await this.leaseExpired(c.id);
      else if (planned) this.applyLease(planned);
    }
  }

  close(): void {
    this.lease.close();
  }

  get(conversationId: string): Promise<ConversationRow | undefined> {
    return this.deps.storage.getConversation(conversationId);
  }

  findBySession(bot: string, sessionKey: string): Promise<ConversationRow | undefined> {
    return this.deps.storage.findConversationBySession(bot, sessionKey);
  }

  /** A new conversation with a robot name no live conversation of the bot has (or the session's existing one). */
  startConversation(
    o: { bot: string; channel: Channel; sessionKey: string; readOnly?: boolean; clientName?: string; online?: boolean },
    outer?: StorageTx,
  ): Promise<ConversationRow> {
    return this.inTx(outer, async (tx) => {
      const existing = await tx.findConversationBySession(o.bot, o.sessionKey);
      if (existing) return existing;
      const now = this.deps.clock.now();
      await tx.ensureBot(o.bot);
      // Serialises the choice of a name with every other one for this bot, on every instance.
      await tx.lockBot(o.bot);
      const row = newConversationRow({
        id: this.deps.newConversationId(),
        bot: o.bot,
        clientName: o.clientName ?? (await this.freeName(tx, o.bot, now)),
        channel: o.channel,
        sessionKey: o.sessionKey,
        startedAt: now,
        readOnly: o.readOnly ?? false,
      });
      await tx.insertConversation(row);
      if (o.online) row.online = await tx.changePresence(row.id, this.deps.instanceId, 1);
      const names = this.liveNameCache.get(o.bot);
      tx.afterCommit(() => names?.names.add(row.clientName));
      await this.emitAtCommit(tx, o.bot, { type: 'conversation.started', conversation: toSummary(row) });
      return row;
    });
  }

  /** An end-user channel opened (+1) or closed (-1) on this instance; designers hear when the first opens and the last closes. */
  presence(conversationId: string, delta: 1 | -1): Promise<void> {
    return this.deps.storage.transaction(async (tx) => {
      const c = await tx.lockConversation(conversationId);
      if (!c) return;
      const online = await tx.changePresence(conversationId, this.deps.instanceId, delta);
      if (c.online > 0 !== online > 0) await this.emitAtCommit(tx, c.bot, { type: 'conversation.presence', conversationId, online: online > 0 });
    });
  }

  /**
   * Stores an end user's message (before anyone hears of it). A message whose client id was already stored is a
   * retry: nothing new is stored and no second reply is made. In an active conversation the result carries a ticket
   * for the bot's reply, to be committed with `commitBotReply`.
   */
  acceptUserMessage(
    conversationId: string,
    text: string,
    clientId: string | null,
    outer?: StorageTx,
  ): Promise<{ message: MessageRow; duplicate: boolean; ticket?: ReplyTicket }> {
    return this.inTx(outer, async (tx) => {
      const c = await tx.lockConversation(conversationId);
      if (!c) throw RuleError.notFound(conversationId);
      if (clientId) {
        const earlier = await tx.findMessageByClientId(conversationId, clientId);
        if (earlier) return { message: earlier, duplicate: true };
      }
      if (c.lastSeq >= LIMITS.conversationMessages) throw RuleError.full(LIMITS.conversationMessages);
      const now = this.deps.clock.now();
      const message = await this.append(tx, c, { author: 'user', text, at: now, clientId });
      if (c.state === 'paused' && c.waitingSince == null) await tx.updateConversation(c.id, { waitingSince: now });
      const ticket = c.state === 'active' ? { conversationId, bot: c.bot, inputSeq: message.seq, input: text, pauseEpoch: c.pauseEpoch } : undefined;
      return { message, duplicate: false, ticket };
    });
  }

  /** Commits the bot's reply if the conversation is still the bot's (see `mayCommitBotReply`); else drops it. */
  commitBotReply(ticket: ReplyTicket, reply: BotReply, outer?: StorageTx): Promise<MessageRow | undefined> {
    return this.inTx(outer, async (tx) => {
      // Re-checked at the commit, under the lock: a takeover that committed first wins, and this reply is dropped.
      const c = await tx.lockConversation(ticket.conversationId);
      if (!c || !mayCommitBotReply(c, ticket)) return undefined;
      const fellBack = reply.match.some((m) => m.defaultCategory);
      const message = await this.append(tx, c, { author: 'bot', text: reply.text, at: this.deps.clock.now(), match: reply.match });
      if (fellBack && !c.fellBack) await tx.updateConversation(c.id, { fellBack: true });
      return message;
    });
  }

  /** A designer's reply: the takeover when the bot is active (pause, paused notice, reply: consecutive seqs). */
  reply(designer: DesignerRef, conversationId: string, text: string, outer?: StorageTx): Promise<CommandOutcome & { tookOver: boolean }> {
    return this.inTx(outer, async (tx) => {
      const c = await this.mustLock(tx, conversationId);
      const decision = decideReply(c, designer);
      const now = this.deps.clock.now();
      await tx.touchDesigner(designer.id, now);
      const out: CommandOutcome & { tookOver: boolean } = { messages: [], eventIds: [], tookOver: decision.kind === 'takeover' };
      let current = c;
      if (decision.kind === 'takeover') current = await this.pause(tx, current, designer, 'takeover', now, out);
      const human = await this.append(tx, current, { author: 'human', text, at: now, designer }, out);
      out.messages.push(toMessage(human));
      // "Needs help" means the bot fell back and no human has answered since: this is the human answer.
      await tx.updateConversation(c.id, { waitingSince: null, fellBack: false });
      await this.renewLeasesOf(tx, designer.id);
      return out;
    });
  }

  /** The "Bot active" switch: on sends the reactivated notice, off pauses with the paused notice. */
  setBotActive(designer: DesignerRef, conversationId: string, active: boolean, outer?: StorageTx): Promise<CommandOutcome & { changed: boolean }> {
    return this.inTx(outer, async (tx) => {
      const c = await this.mustLock(tx, conversationId);
      const decision = decideToggle(c, designer, active);
      const now = this.deps.clock.now();
      await tx.touchDesigner(designer.id, now);
      const out: CommandOutcome & { changed: boolean } = { messages: [], eventIds: [], changed: decision.kind !== 'unchanged' };
      if (decision.kind === 'pause') await this.pause(tx, c, designer, 'manual', now, out);
      if (decision.kind === 'resume') await this.resume(tx, c, 'designer', now, out, designer);
      await this.renewLeasesOf(tx, designer.id);
      return out;
    });
  }

  /** Renews the designer's lease on everything they hold; returns the holds with their new expiries. */
  designerActivity(designerId: string, outer?: StorageTx): Promise<Array<{ conversationId: string; bot: string; expiresAt: number }>> {
    return this.inTx(outer, async (tx) => {
      await tx.touchDesigner(designerId, this.deps.clock.now());
      const planned = await this.renewLeasesOf(tx, designerId);
      // A conversation someone else took over since is theirs now, not one of this designer's holds.
      return planned.filter((p) => p.holderId === designerId).map(({ conversationId, bot, expiresAt }) => ({ conversationId, bot, expiresAt }));
    });
  }

  /** Studio saw its designer idle: everything they hold resumes now with the inactivity notice. */
  designerIdle(designerId: string, outer?: StorageTx): Promise<{ resumed: string[]; eventIds: number[] }> {
    return this.inTx(outer, async (tx) => {
      const resumed: string[] = [];
      const out: CommandOutcome = { messages: [], eventIds: [] };
      for (const hold of this.lease.heldBy(designerId)) {
        const c = await tx.lockConversation(hold.conversationId);
        if (!c || c.state !== 'paused' || c.heldBy?.id !== designerId) continue;
        await this.resume(tx, c, 'inactivity', this.deps.clock.now(), out);
        resumed.push(c.id);
      }
      return { resumed, eventIds: out.eventIds };
    });
  }

  /**
   * Recomputes every lease in the caller's transaction, e.g. after a bot's settings changed (`changed`: the settings
   * that transaction stores, which are not in force until it commits).
   */
  async renewAllLeases(tx: StorageTx, changed?: { bot: string; settings: LiveTrainingSettings }): Promise<void> {
    const planned: PlannedLease[] = [];
    for (const hold of this.lease.all()) {
      const c = await tx.getConversation(hold.conversationId);
      const settings = changed && c?.bot === changed.bot ? changed.settings : undefined;
      const plan = c && (await this.planLease(tx, c, settings));
      if (plan) planned.push(plan);
    }
    tx.afterCommit(() => planned.forEach((p) => this.applyLease(p)));
  }

  /** Appends an event outside a conversation change (settings, bot reloads), in its own transaction. */
  async publish(bot: string, event: DomainEvent): Promise<number> {
    // Its own transaction: the id is known once it commits, so it may append at commit.
    const appended = await this.deps.storage.transaction((tx) => this.emitAtCommit(tx, bot, event));
    return appended.envelope.id;
  }

  /** Appends an event in the caller's transaction (a change stored with the event that announces it). */
  publishIn(tx: StorageTx, bot: string, event: DomainEvent): Promise<number> {
    return this.emit(tx, bot, event);
  }

  // ---- internals ----

  private inTx<T>(outer: StorageTx | undefined, fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    return outer ? fn(outer) : this.deps.storage.transaction(fn);
  }

  private liveNameCache = new Map<string, { readAt: number; names: Set<string> }>();

  /**
   * A few indexed look-ups while most names are free; once they are not, the set of the bot's live names, read at
   * most every few seconds (names given out meanwhile are added to it), so a busy Platform does not re-read it for
   * every new conversation. A name free in that set is still checked once: another instance may have taken it.
   */
  private async freeName(tx: StorageTx, bot: string, now: number): Promise<string> {
    const since = now - this.liveWindowMs;
    let checks = 0;
    for (const name of this.deps.names.candidates()) {
      if (++checks > 8 && (await this.liveNames(tx, bot, now, since)).has(name)) continue;
      if (!(await tx.clientNameInUse(bot, name, since))) return name;
    }
    throw new Error('unreachable: the name candidates never end');
  }

  private async liveNames(tx: StorageTx, bot: string, now: number, since: number): Promise<Set<string>> {
    let cached = this.liveNameCache.get(bot);
    if (!cached || now - cached.readAt > 5_000 || now < cached.readAt) {
      cached = { readAt: now, names: await tx.liveClientNames(bot, since) };
      this.liveNameCache.set(bot, cached);
    }
    return cached.names;
  }

  private async mustLock(tx: StorageTx, conversationId: string): Promise<ConversationRow> {
    const c = await tx.lockConversation(conversationId);
    if (!c) throw RuleError.notFound(conversationId);
    return c;
  }

  /** Appends an event whose id the caller needs inside the transaction (a command's result records it). */
  private async emit(tx: StorageTx, bot: string, event: DomainEvent, out?: CommandOutcome): Promise<number> {
    const { hub, clock } = this.deps;
    const envelope = await tx.appendEvent(bot, clock.now(), event);
    out?.eventIds.push(envelope.id);
    tx.afterCommit(() => hub.publish(envelope));
    await this.pruneNowAndThen(tx, bot);
    return envelope.id;
  }

  /** Appends an event nobody needs the id of before the commit (the hot path: every message of a chat). */
  private async emitAtCommit(tx: StorageTx, bot: string, event: DomainEvent): Promise<EventAtCommit> {
    const { hub, clock } = this.deps;
    const appended = await tx.appendEventAtCommit(bot, clock.now(), event);
    tx.afterCommit(() => hub.publish(appended.envelope));
    await this.pruneNowAndThen(tx, bot);
    return appended;
  }

  private async pruneNowAndThen(tx: StorageTx, bot: string): Promise<void> {
    const n = (this.appendsSincePrune.get(bot) ?? 0) + 1;
    if (n >= Math.min(1000, this.eventRetention)) {
      await tx.pruneEvents(bot, this.eventRetention);
      this.appendsSincePrune.set(bot, 0);
    } else this.appendsSincePrune.set(bot, n);
  }

  /** Appends the next message of the conversation; `c` is updated in place so consecutive appends chain. */
  private async append(
    tx: StorageTx,
    c: ConversationRow,
    m: { author: MessageRow['author']; text: string; at: number; clientId?: string | null; designer?: DesignerRef; notice?: SystemNotice; match?: MatchInfo[] },
    out?: CommandOutcome,
  ): Promise<MessageRow> {
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
    await tx.insertMessage(row);
    c.lastSeq = row.seq;
    c.lastActivityAt = row.at;
    c.lastMessage = { author: row.author, text: row.text, at: row.at, seq: row.seq };
    await tx.recordLastMessage(c.id, c.lastMessage);
    const created: DomainEvent = { type: 'message.created', message: toMessage(row) };
    // A command's outcome lists its event ids (recorded in the transaction); a chat message's nobody asks for.
    if (out) await this.emit(tx, c.bot, created, out);
    else await this.emitAtCommit(tx, c.bot, created);
    return row;
  }

  private async pause(tx: StorageTx, c: ConversationRow, designer: DesignerRef, reason: 'takeover' | 'manual', now: number, out: CommandOutcome): Promise<ConversationRow> {
    c.state = 'paused';
    c.heldBy = { id: designer.id, name: designer.name };
    c.pausedAt = now;
    c.pauseReason = reason;
    c.pauseEpoch += 1;
    await tx.updateConversation(c.id, { state: 'paused', heldBy: c.heldBy, pausedAt: now, pauseReason: reason, pauseEpoch: c.pauseEpoch });
    await this.emit(tx, c.bot, { type: 'conversation.paused', conversationId: c.id, heldBy: c.heldBy, at: now, reason }, out);
    const notice = await this.append(tx, c, { author: 'system', text: this.deps.settings.get(c.bot).pausedMessage, at: now, notice: 'paused' }, out);
    out.messages.push(toMessage(notice));
    const planned = await this.planLease(tx, c);
    tx.afterCommit(() => (planned ? this.applyLease(planned) : this.lease.delete(c.id)));
    return c;
  }

  private async resume(tx: StorageTx, c: ConversationRow, reason: 'designer' | 'inactivity', now: number, out: CommandOutcome, by?: DesignerRef): Promise<void> {
    c.state = 'active';
    c.heldBy = null;
    c.pausedAt = null;
    c.pauseReason = null;
    c.waitingSince = null;
    await tx.updateConversation(c.id, { state: 'active', heldBy: null, pausedAt: null, pauseReason: null, waitingSince: null });
    const event: DomainEvent = { type: 'conversation.resumed', conversationId: c.id, at: now, reason };
    if (by) event.by = by;
    await this.emit(tx, c.bot, event, out);
    const settings = this.deps.settings.get(c.bot);
    const text = reason === 'inactivity' ? settings.inactivityMessage : settings.reactivatedMessage;
    const notice = await this.append(tx, c, { author: 'system', text, at: now, notice: reason === 'inactivity' ? 'inactivity' : 'reactivated' }, out);
    out.messages.push(toMessage(notice));
    tx.afterCommit(() => this.lease.delete(c.id));
  }

  /** The lease a conversation should have now (none unless it is held), from the holder's stored activity. */
  private async planLease(reads: StorageReads, c: ConversationRow, settings?: LiveTrainingSettings): Promise<PlannedLease | undefined> {
    if (c.state !== 'paused' || !c.heldBy) return undefined;
    const holder = await reads.designerById(c.heldBy.id);
    const timeout = (settings ?? this.deps.settings.get(c.bot)).inactivityTimeoutMs;
    return { conversationId: c.id, holderId: c.heldBy.id, bot: c.bot, expiresAt: leaseExpiry(c.pausedAt ?? 0, holder?.lastActivityAt ?? null, timeout) };
  }

  private applyLease(p: PlannedLease): void {
    this.lease.set(p.conversationId, p.holderId, p.bot, p.expiresAt);
  }

  /** Plans the designer's holds anew in `tx` (after their activity was recorded in it); applied after the commit. */
  private async renewLeasesOf(tx: StorageTx, designerId: string): Promise<PlannedLease[]> {
    const planned: PlannedLease[] = [];
    const gone: string[] = [];
    for (const hold of this.lease.heldBy(designerId)) {
      const c = await tx.getConversation(hold.conversationId);
      const plan = c && (await this.planLease(tx, c));
      if (plan) planned.push(plan);
      else gone.push(hold.conversationId);
    }
    tx.afterCommit(() => {
      for (const p of planned) this.applyLease(p);
      for (const id of gone) this.lease.delete(id);
    });
    return planned;
  }

  /**
   * The lease ran out: re-checked against the stored state under the conversation's lock (the holder may have been
   * active since, or another instance may have handed it back already) before resuming, so it happens once.
   */
  private async leaseExpired(conversationId: string, hold?: Hold): Promise<void> {
    const now = this.deps.clock.now();
    try {
      const resumed = await this.deps.storage.transaction(async (tx) => {
        const c = await tx.lockConversation(conversationId);
        const planned = c && (await this.planLease(tx, c));
        if (!c || !planned) return false;
        if (planned.expiresAt > now) {
          tx.afterCommit(() => this.applyLease(planned));
          return false;
        }
        await this.resume(tx, c, 'inactivity', now, { messages: [], eventIds: [] });
        return true;
      });
      if (resumed) this.deps.onInactivityResume?.(conversationId);
    } catch (error) {
      // The storage refused (unreachable for a moment): the hold comes back, and the lease tries again in a while.
      this.deps.onLeaseError?.(conversationId, error);
      if (hold) this.lease.set(conversationId, hold.holderId, hold.bot, now + LEASE_RETRY_MS);
    }
  }
}
