import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CHAT_CLOSE_BOT_GONE, CHAT_PROTOCOL_VERSION, ChatClientFrame, type ChatErrorCode, type ChatMessage, type ChatServerFrame } from '../../protocol/chat-wire.js';
import type { Clock } from '../../protocol/clock.js';
import { BotName, type Channel } from '../../protocol/conversation.js';
import type { EventEnvelope } from '../../protocol/designer-wire.js';
import { LIMITS } from '../../protocol/limits.js';
import type { ReplyTicket } from '../conversations/conversation-rules.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { EventHub } from '../conversations/event-hub.js';
import { RuleError } from '../conversations/rule-errors.js';
import { hashToken } from '../designers/designer-accounts.js';
import type { ChatRefusal } from '../http/chat-accept-gate.js';
import { closeWithin } from '../http/close-within.js';
import { refuseUpgrade } from '../http/upgrade-refusal.js';
import { ChatFloodGuard } from '../limits/chat-flood-guard.js';
import { MemoryRateLimit } from '../limits/memory-rate-limit.js';
import { RateLimiterMap } from '../limits/rate-limiter-map.js';
import { SpentAllowances } from '../limits/spent-allowances.js';
import type { LiveTrainingSettingsStore } from '../settings/live-training-settings.js';
import type { MessageRow, StorageReads } from '../storage/storage.js';
import type { BotReplyWorker } from './bot-reply-worker.js';
import { ChannelParts } from './channel-parts.js';
import { DEFAULT_KEEP_CONVERSATION_MINUTES, issueSessionKey } from './chat-session.js';
import { originAllowed } from './origin-policy.js';
import { corkUntilNextTick } from './tick-batched-writes.js';

export interface ChatLimits {
  /** Messages per session (kept across reconnects, so a new socket never refills it): burst, then per second. */
  messagesBurst: number;
  messagesPerSecond: number;
  /** Messages per remote address over all its sessions (caps what one address makes the bot compute). */
  addressMessagesBurst: number;
  addressMessagesPerSecond: number;
  /** Open sockets on one session (conversation): each message goes to every one of them. */
  maxSocketsPerSession: number;
  /** Hellos per session (reconnects): burst, then per second. */
  sessionHellosBurst: number;
  sessionHellosPerSecond: number;
  /** Session allowances kept in memory at most (idle ones are forgotten once full again). */
  maxTrackedSessions: number;
  /** New conversations per remote address: burst, then per second. */
  newConversationsBurst: number;
  newConversationsPerSecond: number;
  /** Open chat sockets in total. */
  maxConnections: number;
  /** Open chat sockets from one remote address (generous: offices share one address). */
  maxConnectionsPerAddress: number;
  /**
   * Chat sockets opened per remote address: burst, then per second. Each accepted upgrade costs a WebSocket
   * handshake, a hello and a read; refusing the rest with a plain 429 before the handshake keeps a client that opens
   * hundreds at once from holding the event loop (measured: 300 at once held it ~150 ms without this).
   */
  addressOpensBurst: number;
  addressOpensPerSecond: number;
  /** A socket that has not said hello by then is closed (real time: it only guards against idle sockets). */
  helloTimeoutMs: number;
  /** Refused frames in a row before the socket is closed as abusive. */
  maxStrikes: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  messagesBurst: 10,
  messagesPerSecond: 2,
  addressMessagesBurst: 200,
  addressMessagesPerSecond: 30,
  maxSocketsPerSession: 5,
  sessionHellosBurst: 10,
  sessionHellosPerSecond: 0.5,
  maxTrackedSessions: 100_000,
  newConversationsBurst: 30,
  newConversationsPerSecond: 1,
  maxConnections: 20_000,
  maxConnectionsPerAddress: 500,
  addressOpensBurst: 20,
  addressOpensPerSecond: 5,
  helloTimeoutMs: 30_000,
  maxStrikes: 50,
};

const TOO_MANY_OPENED = 'Too many chats opened from your address: try again in a moment.';
const TOO_MANY_OPEN = 'Too many open chats right now: try again in a minute.';
const TOO_MANY_FROM_ADDRESS = 'Too many open chats from your address: close some and try again.';
const retryAfterSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/** Messages a reconnecting channel is sent at most (the newest ones). */
const HISTORY_ON_WELCOME = 200;

interface ChatConnection {
  socket: WebSocket;
  /** The TCP stream under `socket` (ws writes to it), corked per tick to batch writes. */
  stream: Duplex;
  bot: string;
  remote: string;
  /** Gives back this socket's place on its session (flood guard); set once hello is accepted. */
  releaseChannel?: () => void;
  strikes: number;
  alive: boolean;
  /** When this socket was last pinged (real time; staggered so thousands of sockets are not pinged at once). */
  pingedAt: number;
  session?: { key: string; channel: Exclude<Channel, 'api'> };
  conversationId?: string;
  /** This socket's storage work (hello, sends), one after the other so its messages keep their order. */
  work: Promise<void>;
  /** The socket closed: work still running for it must not count it present again. */
  closed: boolean;
  /** While its welcome is being read: live messages wait here, and those the welcome already has are dropped. */
  welcoming?: Array<{ seq: number; text: string }>;
}

export interface ChatGatewayOptions {
  service: ConversationService;
  storage: StorageReads;
  settings: LiveTrainingSettingsStore;
  hub: EventHub;
  worker: BotReplyWorker;
  bots: { has(bot: string): boolean };
  clock: Clock;
  logger: Logger;
  limits?: Partial<ChatLimits>;
  heartbeatMs?: number;
  /** Where the flood limits are counted: shared by a cluster's instances (server/cluster/shared-chat-limits.ts), or this process's memory. */
  floodStores?: ConstructorParameters<typeof ChatFloodGuard>[2];
  /** The user's address (behind trusted proxies, from X-Forwarded-For: http/client-address.ts); default: the socket's. */
  clientAddress?: (req: IncomingMessage) => string;
}

/**
 * WebSocket `/ws/chat?bot=<bot>` for the Landing Page and the Chat Widget (protocol/chat-wire.ts): Origin checked on
 * the upgrade, every frame validated, messages stored before they are echoed, sends deduplicated by client id.
 */
export class ChatGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.frameBytes * 16, perMessageDeflate: false, clientTracking: false });
  private readonly connections = new Set<ChatConnection>();
  private readonly byConversation = new Map<string, Set<ChatConnection>>();
  private readonly perAddress = new Map<string, number>();
  private readonly limits: ChatLimits;
  private readonly newConversations: RateLimiterMap;
  private readonly flood: ChatFloodGuard;
  private readonly opens: MemoryRateLimit;
  /** Addresses whose `opens` allowance is spent, until when: the accept gate refuses them without a parse. */
  private readonly opensSpent: SpentAllowances;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly heartbeatMs: number;
  /** Bot replies' rich media, read once per reply rather than once per welcome that repeats it. */
  private readonly channelParts = new ChannelParts();
  private closing = false;

  constructor(private readonly o: ChatGatewayOptions) {
    this.limits = { ...DEFAULT_CHAT_LIMITS, ...o.limits };
    this.newConversations = new RateLimiterMap(o.clock, this.limits.newConversationsBurst, this.limits.newConversationsPerSecond);
    this.flood = new ChatFloodGuard(o.clock, {
      session: { burst: this.limits.messagesBurst, perSecond: this.limits.messagesPerSecond },
      address: { burst: this.limits.addressMessagesBurst, perSecond: this.limits.addressMessagesPerSecond },
      socketsPerSession: this.limits.maxSocketsPerSession,
      sessionHellos: { burst: this.limits.sessionHellosBurst, perSecond: this.limits.sessionHellosPerSecond },
      maxTrackedSessions: this.limits.maxTrackedSessions,
    }, o.floodStores);
    this.opens = new MemoryRateLimit(o.clock, { burst: this.limits.addressOpensBurst, perSecond: this.limits.addressOpensPerSecond }, this.limits.maxTrackedSessions);
    this.opensSpent = new SpentAllowances(this.limits.maxTrackedSessions);
    this.unsubscribe = o.hub.subscribe((envelope) => this.onEvent(envelope));
    this.heartbeatMs = o.heartbeatMs ?? 30_000;
    this.heartbeat = setInterval(() => this.ping(), Math.max(100, Math.floor(this.heartbeatMs / 30)));
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    // First, as it is the cheapest refusal: an address opening sockets faster than any page would.
    const remote = this.o.clientAddress ? this.o.clientAddress(req) : (req.socket.remoteAddress ?? 'unknown');
    const opened = this.opens.take(remote);
    if (!opened.ok) {
      this.opensSpent.note(remote, this.o.clock.now() + opened.retryAfterMs);
      return refuseUpgrade(socket, 429, TOO_MANY_OPENED, { 'Retry-After': retryAfterSeconds(opened.retryAfterMs) });
    }
    const bot = url.searchParams.get('bot') ?? '';
    if (!BotName.safeParse(bot).success || !this.o.bots.has(bot)) return refuseUpgrade(socket, 404, `There is no bot named "${bot.slice(0, 64)}" here.`);
    const origin = req.headers.origin;
    if (!originAllowed(origin, req.headers.host, this.o.settings.allowedOrigins(bot))) {
      this.o.logger.warn({ bot, origin }, 'chat connection refused: origin not allowed');
      return refuseUpgrade(socket, 403, `Pages on ${origin} may not talk to the bot ${bot}: add the origin to the bot's allowed origins.`);
    }
    if (this.closing) return refuseUpgrade(socket, 503, 'The Platform is shutting down.');
    if (this.connections.size >= this.limits.maxConnections) return refuseUpgrade(socket, 503, TOO_MANY_OPEN, { 'Retry-After': '60' });
    if ((this.perAddress.get(remote) ?? 0) >= this.limits.maxConnectionsPerAddress) {
      return refuseUpgrade(socket, 429, TOO_MANY_FROM_ADDRESS, { 'Retry-After': '30' });
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, bot, remote));
  }

  /**
   * The refusal a chat socket from `remote` gets now whatever else its request says, for the accept gate
   * (server/http/chat-accept-gate.ts): an address whose opens allowance is spent, or with all its sockets open, or
   * a Platform full of chats. (A request with no such bot would get 404 here; from such an address it gets this.)
   */
  refusalBeforeUpgrade(remote: string): ChatRefusal | undefined {
    const spentMs = this.opensSpent.remainingMs(remote, this.o.clock.now());
    if (spentMs > 0) return { status: 429, reason: TOO_MANY_OPENED, headers: { 'Retry-After': retryAfterSeconds(spentMs) } };
    if (this.connections.size >= this.limits.maxConnections) return { status: 503, reason: TOO_MANY_OPEN, headers: { 'Retry-After': '60' } };
    if ((this.perAddress.get(remote) ?? 0) >= this.limits.maxConnectionsPerAddress) return { status: 429, reason: TOO_MANY_FROM_ADDRESS, headers: { 'Retry-After': '30' } };
    return undefined;
  }

  close(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    this.unsubscribe();
    closeWithin([...this.connections].map((c) => c.socket), 1001, 'Platform shutting down');
    this.connections.clear();
    this.byConversation.clear();
    this.wss.close();
  }

  /** The bot could not answer: say so on the user's open channels instead of leaving them waiting. */
  botFailed(ticket: ReplyTicket, reason: string): void {
    for (const c of this.byConversation.get(ticket.conversationId) ?? []) this.error(c, 'unavailable', `${reason}; please try again`);
  }

  private accept(socket: WebSocket, stream: Duplex, bot: string, remote: string): void {
    const c: ChatConnection = {
      socket,
      stream,
      bot,
      remote,
      strikes: 0,
      alive: true,
      work: Promise.resolve(),
      closed: false,
      // A random phase: sockets that connected together (a page of users, a restart) are pinged at different times.
      pingedAt: Date.now() - Math.random() * this.heartbeatMs,
    };
    this.connections.add(c);
    this.perAddress.set(remote, (this.perAddress.get(remote) ?? 0) + 1);
    const helloDeadline = setTimeout(() => {
      if (!c.session) socket.close(1008, 'Send hello first');
    }, this.limits.helloTimeoutMs);
    helloDeadline.unref();
    socket.on('pong', () => (c.alive = true));
    // Each frame is answered after the ones before it (a refusal never overtakes the echo of an earlier message).
    socket.on('message', (data, isBinary) => this.later(c, () => this.onFrame(c, data, isBinary)));
    socket.on('close', () => {
      c.closed = true;
      clearTimeout(helloDeadline);
      c.releaseChannel?.();
      const left = (this.perAddress.get(remote) ?? 1) - 1;
      if (left > 0) this.perAddress.set(remote, left);
      else this.perAddress.delete(remote);
      this.detach(c);
    });
    socket.on('error', (error) => this.o.logger.debug({ err: error.message }, 'chat socket error'));
  }

  private detach(c: ChatConnection): void {
    this.connections.delete(c);
    if (!c.conversationId) return;
    const set = this.byConversation.get(c.conversationId);
    set?.delete(c);
    if (set && set.size === 0) this.byConversation.delete(c.conversationId);
    // At shutdown the presence is reset on the next start anyway; the database may be closing.
    if (!this.closing) this.presence(c.conversationId, -1);
  }

  private attach(c: ChatConnection, conversationId: string, countPresence: boolean): void {
    c.conversationId = conversationId;
    let set = this.byConversation.get(conversationId);
    if (!set) this.byConversation.set(conversationId, (set = new Set()));
    set.add(c);
    if (countPresence) this.presence(conversationId, 1);
  }

  /** Presence changes are stored in the order asked (the storage's transactions are first come, first served). */
  private presence(conversationId: string, delta: 1 | -1): void {
    this.o.service.presence(conversationId, delta).catch((error: unknown) => this.o.logger.warn({ err: error, conversation: conversationId }, 'could not store a chat presence change'));
  }

  /** Queues work of this socket behind its earlier work. */
  private later(c: ChatConnection, work: () => Promise<void> | void): void {
    c.work = c.work.then(work).catch((error: unknown) => this.o.logger.error({ err: error, bot: c.bot }, 'chat socket work failed'));
  }

  private send(c: ChatConnection, frame: ChatServerFrame): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    corkUntilNextTick(c.stream);
    c.socket.send(JSON.stringify(frame));
  }

  private error(c: ChatConnection, code: ChatErrorCode, message: string, extra: { clientId?: string; retryAfterMs?: number } = {}): void {
    this.send(c, { type: 'error', code, message, ...extra });
  }

  /** A refused frame; a client that keeps sending refused frames is cut off. */
  private strike(c: ChatConnection, code: ChatErrorCode, message: string, extra: { clientId?: string; retryAfterMs?: number } = {}): void {
    this.error(c, code, message, extra);
    c.strikes += 1;
    if (c.strikes >= this.limits.maxStrikes) {
      this.o.logger.warn({ bot: c.bot, remote: c.remote }, 'chat client keeps sending refused frames: closing');
      c.socket.close(1008, 'Too many refused messages');
    }
  }

  private onFrame(c: ChatConnection, data: RawData, isBinary: boolean): Promise<void> | void {
    // A socket being closed (refused, struck out) may still deliver what its client sent: none of it is read.
    if (c.socket.readyState !== c.socket.OPEN) return;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    if (size > LIMITS.frameBytes) return this.strike(c, 'too_large', `a message frame is at most ${LIMITS.frameBytes} bytes`);
    if (isBinary) return this.strike(c, 'bad_frame', 'frames are JSON text');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return this.strike(c, 'bad_frame', 'a frame must be JSON');
    }
    const clientId = typeof json === 'object' && json !== null && typeof (json as { clientId?: unknown }).clientId === 'string' ? (json as { clientId: string }).clientId.slice(0, 64) : undefined;
    const parsed = ChatClientFrame.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const tooLong = parsed.error.issues.some((i) => i.code === 'too_big' && i.path.includes('text'));
      if (tooLong) return this.strike(c, 'too_large', `a message is at most ${LIMITS.messageChars} characters`, clientId ? { clientId } : {});
      const where = issue && issue.path.length ? `${issue.path.join('.')}: ` : '';
      return this.strike(c, (json as { type?: unknown })?.type === 'send' || (json as { type?: unknown })?.type === 'hello' ? 'invalid' : 'bad_frame', `${where}${issue?.message ?? 'not a chat frame'}`, clientId ? { clientId } : {});
    }
    const frame = parsed.data;
    if (frame.type === 'hello') return this.hello(c, frame);
    return this.sendMessage(c, frame.clientId, frame.text);
  }

  private hello(c: ChatConnection, frame: Extract<ChatClientFrame, { type: 'hello' }>): Promise<void> | void {
    if (frame.bot !== c.bot) return this.strike(c, 'invalid', `this socket is for the bot ${c.bot}, not ${frame.bot}`);
    if (c.session) return this.strike(c, 'invalid', 'hello was already sent on this socket');
    const session = frame.session ?? issueSessionKey();
    const key = hashToken(session);
    return this.flood.openChannel(`${c.bot}\u0000${key}`).then((channel) => this.openedChannel(c, frame, session, key, channel));
  }

  private openedChannel(c: ChatConnection, frame: Extract<ChatClientFrame, { type: 'hello' }>, session: string, key: string, channel: Awaited<ReturnType<ChatFloodGuard['openChannel']>>): Promise<void> | void {
    // The socket closed while the cluster was asked: its place goes back at once.
    if (channel.ok && c.closed) return channel.release();
    if (!channel.ok) {
      const tooMany = channel.scope === 'sockets';
      this.error(c, tooMany ? 'too_many_channels' : 'rate_limited', channel.message, { retryAfterMs: channel.retryAfterMs });
      c.socket.close(1008, tooMany ? 'This chat is open in too many windows' : 'Reconnecting too often');
      return;
    }
    c.releaseChannel = channel.release;
    c.session = { key, channel: frame.channel };
    return this.welcome(c, key, session, frame.lastSeq).catch((error: unknown) => {
      c.welcoming = undefined;
      this.o.logger.error({ err: error, bot: c.bot }, 'could not read a chat to welcome it');
      this.error(c, 'unavailable', 'the chat could not be opened right now: please reconnect');
      c.socket.close(1011, 'Could not open the chat');
    });
  }

  /**
   * Joins the socket to its conversation (if it has one) and sends the welcome with what it missed. The socket joins
   * before the history is read, and live messages wait until the welcome is out: each message reaches it once, in
   * the history or live, whichever side of the read it was committed on.
   */
  private async welcome(c: ChatConnection, key: string, session: string, lastSeq: number): Promise<void> {
    const conversation = await this.o.service.findBySession(c.bot, key);
    if (c.closed) return;
    let messages: MessageRow[] = [];
    let truncated = false;
    if (conversation) {
      c.welcoming = [];
      if (!c.conversationId) this.attach(c, conversation.id, true);
      const from = Math.max(lastSeq, conversation.lastSeq - HISTORY_ON_WELCOME);
      truncated = from > lastSeq;
      messages = await this.o.storage.messagesAfter(conversation.id, from, HISTORY_ON_WELCOME);
    }
    const { appearance, keepConversationMinutes } = this.o.settings.get(c.bot);
    this.send(c, {
      type: 'welcome',
      protocol: CHAT_PROTOCOL_VERSION,
      bot: c.bot,
      appearance,
      messages: messages.map((m) => this.toChat(c.bot, m)),
      truncated,
      limits: { messageChars: LIMITS.messageChars },
      session,
      keepConversationMinutes: keepConversationMinutes ?? DEFAULT_KEEP_CONVERSATION_MINUTES,
    });
    const waiting = c.welcoming ?? [];
    c.welcoming = undefined;
    const shown = messages.length ? messages[messages.length - 1]!.seq : lastSeq;
    for (const m of waiting) if (m.seq > shown) this.sendText(c, m.text);
  }

  private sendMessage(c: ChatConnection, clientId: string, text: string): Promise<void> | void {
    if (!c.session) return this.strike(c, 'not_ready', 'send hello first', { clientId });
    if (this.closing) return this.error(c, 'unavailable', 'the Platform is shutting down: your message was not sent', { clientId });
    const session = c.session;
    return this.flood.admitMessage(`${c.bot}\u0000${session.key}`, c.remote).then((allowed) => {
      if (!allowed.ok) return this.strike(c, 'rate_limited', allowed.message, { clientId, retryAfterMs: allowed.retryAfterMs });
      return this.store(c, session, clientId, text);
    });
  }

  /** Stores a user's message (starting the conversation on its first); the echo is the committed message's event. */
  private async store(c: ChatConnection, session: NonNullable<ChatConnection['session']>, clientId: string, text: string): Promise<void> {
    const { service, logger } = this.o;
    try {
      let conversationId = c.conversationId;
      if (!conversationId) {
        const existing = await service.findBySession(c.bot, session.key);
        if (existing) {
          conversationId = existing.id;
          if (!c.closed) this.attach(c, existing.id, true);
        } else {
          const fresh = this.newConversations.take(c.remote);
          if (!fresh.ok) return this.strike(c, 'rate_limited', `too many new conversations from here: wait ${fresh.retryAfterMs} ms`, { clientId, retryAfterMs: fresh.retryAfterMs });
          const started = await service.startConversation({ bot: c.bot, channel: session.channel, sessionKey: session.key, online: true });
          conversationId = started.id;
          // Counted present when it started: a socket that closed meanwhile takes that back.
          if (c.closed) this.presence(started.id, -1);
          else this.attach(c, started.id, false);
          logger.info({ bot: c.bot, conversation: started.id, clientName: started.clientName }, 'conversation started');
        }
      }
      const accepted = await service.acceptUserMessage(conversationId, text, clientId);
      c.strikes = 0;
      // A retry of a stored message: the original broadcast may never have reached this socket, so answer it here.
      if (accepted.duplicate) this.send(c, { type: 'message', message: this.toChat(c.bot, accepted.message) });
      if (accepted.ticket) this.o.worker.enqueue(accepted.ticket);
    } catch (error) {
      if (RuleError.is(error) && error.code === 'conversation_full') return this.error(c, 'conversation_full', error.message, { clientId });
      logger.error({ err: error, bot: c.bot }, 'could not store a chat message');
      this.error(c, 'unavailable', 'your message could not be stored: please send it again', { clientId });
    }
  }

  private onEvent(envelope: EventEnvelope): void {
    const event = envelope.event;
    if (event.type === 'bot.deleted') return this.botGone(event.bot);
    if (event.type !== 'message.created') return;
    const targets = this.byConversation.get(event.message.conversationId);
    if (!targets) return;
    const m = event.message;
    const chat = this.toChat(envelope.bot, { ...m, designer: null, notice: m.notice ?? null, match: null, clientId: m.clientId ?? null });
    const text = JSON.stringify({ type: 'message', message: chat } satisfies ChatServerFrame);
    for (const c of targets) {
      if (c.welcoming) c.welcoming.push({ seq: m.seq, text });
      else this.sendText(c, text);
    }
  }

  private sendText(c: ChatConnection, text: string): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    corkUntilNextTick(c.stream);
    c.socket.send(text);
  }

  /** The bot was deleted: its open chats are told so, instead of failing on every message they send. */
  private botGone(bot: string): void {
    for (const c of this.connections) if (c.bot === bot) c.socket.close(CHAT_CLOSE_BOT_GONE, 'This chat is no longer available');
  }

  /** How a message is shown to the end user: never who wrote it, only the style the bot owner chose. */
  private toChat(bot: string, m: MessageRow): ChatMessage {
    const appearance = this.o.settings.get(bot).appearance;
    let from: ChatMessage['from'];
    switch (m.author) {
      case 'user':
        from = 'user';
        break;
      case 'bot':
        from = 'bot';
        break;
      case 'human':
        from = appearance.humanStyle === 'human' ? 'human' : 'bot';
        break;
      case 'system':
        from = appearance.systemStyle === 'notice' ? 'notice' : 'bot';
        break;
    }
    const out: ChatMessage = { seq: m.seq, from, text: m.text, at: m.at };
    if (m.clientId) out.clientId = m.clientId;
    // Only the bot's own replies carry AIML rich media; a designer's words are shown as typed.
    if (m.author === 'bot') {
      const parts = this.channelParts.of(m.text);
      if (parts) out.parts = parts;
    }
    return out;
  }

  /**
   * Runs often and pings only the sockets whose turn it is: pinging thousands at once stalled the event loop (a
   * burst of writes, then of pongs) in bench:platform at 5,000 conversations.
   */
  private ping(): void {
    const now = Date.now();
    for (const c of this.connections) {
      if (now - c.pingedAt < this.heartbeatMs) continue;
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.pingedAt = now;
      c.socket.ping();
    }
  }
}
