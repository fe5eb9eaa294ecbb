import { z } from 'zod';
import { ChannelAppearance } from './bot-settings.js';
import { BotName, MessageText } from './conversation.js';
import { LIMITS } from './limits.js';
import { RichPart } from './rich-media.js';

/**
 * The end-user chat channel, WebSocket `/ws/chat?bot=<bot>` (Landing Page and Chat Widget; DESIGN.md section 5).
 *
 * The upgrade is refused with HTTP 403 when the page's Origin is neither the Platform's own nor one of the bot's
 * allowed origins, and with 404 for an unknown bot.
 *
 * The Platform issues a random session key on a browser's first `hello` (in `welcome`); the channel keeps it in the
 * browser's localStorage (per Platform and bot, for the bot's `keepConversationMinutes` after the last visit) and
 * sends it in every later `hello`. The key is the end user's only credential, so a reload, a reopened tab or a
 * reconnect finds the same conversation, and other browsers never do. No
 * conversation exists until the first `send`. The Platform answers `hello` with `welcome` carrying the messages after
 * `lastSeq`, then pushes each new message once. Every user message carries a client id: sending it again (a retry
 * after a lost connection) stores nothing new and gets the stored message back, so nothing is shown twice.
 *
 * End users never learn who wrote a reply: `from` says how to *show* it, as the bot owner configured
 * (`appearance.humanStyle`, `appearance.systemStyle`).
 */
export const CHAT_PROTOCOL_VERSION = 1;

export const ChatSessionKey = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'a session key is 16-128 characters of A-Z a-z 0-9 _ -');

// A bot reply's rich media: the wire types live with their reader (protocol/rich-media.ts), re-exported for the channels.
export { RichButton, RichCard, RichInline, RichPart, WebUrl } from './rich-media.js';

export const ChatMessage = z.object({
  /** Per-conversation sequence number: the client shows each seq once. */
  seq: z.number().int().positive(),
  /** How to show it: the user's own message, a bot-styled reply, a reply marked as from a person, or a notice. */
  from: z.enum(['user', 'bot', 'human', 'notice']),
  text: z.string(),
  at: z.number(),
  /** On the user's own messages: the id the client gave it. */
  clientId: z.string().optional(),
  /**
   * On bot replies with rich media: what to show instead of `text` (which keeps the reply as the engine gave it).
   * Never an `oob` part: device commands are not for the end user.
   */
  parts: z.array(RichPart).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatClientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: z.literal(CHAT_PROTOCOL_VERSION),
    bot: BotName,
    channel: z.enum(['landing', 'widget']),
    /** Left out on a browser's first visit: the Platform issues one in `welcome`, which the channel keeps. */
    session: ChatSessionKey.optional(),
    /** Highest seq the client already shows (0 after a reload: the Platform sends the recent history). */
    lastSeq: z.number().int().nonnegative().default(0),
  }),
  z.object({
    type: z.literal('send'),
    clientId: z.string().min(1).max(64),
    text: MessageText,
  }),
]);
export type ChatClientFrame = z.infer<typeof ChatClientFrame>;

export const ChatErrorCode = z.enum([
  'bad_frame', // not JSON, or not a known frame shape
  'too_large', // frame over LIMITS.frameBytes or text over LIMITS.messageChars
  'invalid', // a field is wrong (details in message)
  'not_ready', // `send` before `hello`
  'rate_limited', // retryAfterMs says when to try again
  'conversation_full', // LIMITS.conversationMessages reached
  'unknown_bot',
  'unavailable', // the Platform is shutting down or the bot cannot answer right now
  'too_many_channels', // the session already has as many open sockets as allowed; retryAfterMs; the socket is closed (1008)
]);
export type ChatErrorCode = z.infer<typeof ChatErrorCode>;

export const ChatServerFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    protocol: z.literal(CHAT_PROTOCOL_VERSION),
    bot: BotName,
    /** The bot owner's channel settings; a widget snippet's own values take precedence on the page. */
    appearance: ChannelAppearance,
    /** Messages after the hello's lastSeq (the most recent ones when there are many), oldest first. */
    messages: z.array(ChatMessage),
    /** More older messages exist than were sent. */
    truncated: z.boolean(),
    limits: z.object({ messageChars: z.number().int().positive() }),
    /** The session key this socket uses: the one the hello gave, or a new one the Platform issued. */
    session: ChatSessionKey.optional(),
    /** How long the channel keeps the conversation after the user's last visit (the bot's setting), in minutes. */
    keepConversationMinutes: z.number().int().positive().optional(),
  }),
  z.object({ type: z.literal('message'), message: ChatMessage }),
  z.object({
    type: z.literal('error'),
    code: ChatErrorCode,
    message: z.string(),
    /** The `send` this error refuses, so the client can mark that message as not delivered. */
    clientId: z.string().optional(),
    retryAfterMs: z.number().int().nonnegative().optional(),
  }),
]);
export type ChatServerFrame = z.infer<typeof ChatServerFrame>;

export const CHAT_LIMITS = { messageChars: LIMITS.messageChars } as const;

/** WebSocket close code: the bot was deleted. The channel says the chat is no longer available and stops reconnecting. */
export const CHAT_CLOSE_BOT_GONE = 4404;
