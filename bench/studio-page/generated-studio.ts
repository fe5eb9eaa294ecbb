import type { Message } from '../../protocol/conversation.js';
import type { AppState, ConversationView, StudioArgs, StudioEvent, StudioMethod, StudioResult } from '../../protocol/studio-api.js';
import type { StudioClient, TransportStatus } from '../../renderer/src/client/studio-client.js';
import { seededRandom } from '../../tests/support/seeded-random.js';

/**
 * Benchmark input, generated (not real conversations): an in-page Studio API that answers from N generated
 * conversations and can push events at a given rate, so the real renderer code does the real work.
 */

const ADJECTIVES = ['Rusty', 'Shiny', 'Brave', 'Quiet', 'Tiny', 'Clever', 'Sparky', 'Mighty', 'Gentle', 'Nimble', 'Chrome', 'Turbo', 'Cosmic', 'Lucky', 'Dusty', 'Silent'];
const NOUNS = ['Sprocket', 'Gear', 'Bolt', 'Piston', 'Rivet', 'Widget', 'Circuit', 'Servo', 'Gizmo', 'Cog', 'Dynamo', 'Sensor', 'Rotor', 'Valve', 'Spring', 'Lever'];
const LINES = ['hello', 'what are your opening hours?', 'can I talk to a person', 'my parcel has not arrived', 'thanks!', 'how do I reset my password', 'what is your name', 'bye'];

export class GeneratedStudio implements StudioClient {
  private readonly listeners = new Set<(e: StudioEvent) => void>();
  private readonly conversations: ConversationView[] = [];
  private readonly transcripts = new Map<string, Message[]>();
  private readonly random: () => number;
  private clock: number;
  /** performance.now() when the conversation list was handed to the renderer (for the benchmark's phases). */
  listAnsweredAt: number | undefined;

  constructor(count: number, seed = 42) {
    this.random = seededRandom(seed);
    this.clock = Date.now();
    for (let i = 0; i < count; i++) {
      const at = this.clock - Math.floor(this.random() * 7 * 24 * 3600_000);
      const paused = this.random() < 0.1;
      this.conversations.push({
        id: `c${i}`,
        bot: this.random() < 0.7 ? 'starter' : 'helpdesk',
        clientName: `${this.pick(ADJECTIVES)} ${this.pick(NOUNS)} ${i}`,
        channel: this.random() < 0.6 ? 'landing' : this.random() < 0.9 ? 'widget' : 'api',
        startedAt: at - 60_000,
        lastActivityAt: at,
        state: paused ? 'paused' : 'active',
        heldBy: paused ? { id: 'd2', name: 'Ana' } : undefined,
        online: this.random() < 0.2,
        lastMessage: { author: 'user', text: this.pick(LINES), at, seq: 6 },
        lastSeq: 6,
        fellBack: this.random() < 0.05,
        readOnly: false,
        unread: this.random() < 0.3 ? 1 + Math.floor(this.random() * 5) : 0,
        heldByMe: false,
      });
    }
  }

  /** Like Studio's main process, the list is handed over most recent activity first. */
  private sortByActivity(): void {
    this.conversations.sort((a, b) => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : 1));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  private transcript(id: string): Message[] {
    let messages = this.transcripts.get(id);
    if (!messages) {
      messages = [];
      for (let seq = 1; seq <= 6; seq++) messages.push(this.message(id, seq));
      this.transcripts.set(id, messages);
    }
    return messages;
  }

  private message(conversationId: string, seq: number): Message {
    const user = seq % 2 === 1;
    return {
      id: `${conversationId}-${seq}`,
      conversationId,
      seq,
      author: user ? 'user' : 'bot',
      text: this.pick(LINES),
      at: this.clock + seq,
      match: user ? undefined : [{ pattern: '*', that: '*', topic: '*', file: 'default.aiml', defaultCategory: true }],
    };
  }

  invoke<M extends StudioMethod>(method: M, args: StudioArgs<M>): Promise<StudioResult<M>> {
    // The inbox the bench measures calls only these three; any other method gets an empty answer.
    const answers: Partial<Record<StudioMethod, () => unknown>> = {
      'app.state': () => ({ link: { status: 'online', embedded: true }, designer: { id: 'me', name: 'Bench' }, bots: [], host: 'browser' }) satisfies AppState,
      'conversations.list': () => {
        this.sortByActivity();
        this.listAnsweredAt = performance.now();
        return { conversations: [...this.conversations] };
      },
      'conversation.transcript': () => {
        const { conversationId } = args as StudioArgs<'conversation.transcript'>;
        return { messages: this.transcript(conversationId), hasMore: false };
      },
    };
    return Promise.resolve((answers[method]?.() ?? {}) as StudioResult<M>);
  }

  onEvent(listener: (e: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTransport(): () => void {
    return () => undefined;
  }

  transportStatus(): TransportStatus {
    return { state: 'open' };
  }

  /** One incoming user message: the conversation moves to the top with a new preview and unread count. */
  pushUserMessage(openConversationId: string | undefined): void {
    const index = Math.floor(this.random() * this.conversations.length);
    const old = this.conversations[index]!;
    const id = openConversationId !== undefined && this.random() < 0.1 ? openConversationId : old.id;
    const current = this.conversations.find((c) => c.id === id)!;
    const seq = current.lastSeq + 1;
    this.clock = Math.max(this.clock + 1, Date.now());
    const message: Message = { ...this.message(id, seq), author: 'user', at: this.clock, match: undefined };
    const updated: ConversationView = {
      ...current,
      lastActivityAt: this.clock,
      lastSeq: seq,
      unread: current.unread + 1,
      lastMessage: { author: 'user', text: message.text, at: message.at, seq },
      online: true,
    };
    this.conversations[this.conversations.indexOf(current)] = updated;
    this.transcripts.get(id)?.push(message);
    this.emit({ type: 'conversations.upsert', conversations: [updated] });
    this.emit({ type: 'messages.appended', conversationId: id, messages: [message] });
  }

  private emit(event: StudioEvent): void {
    for (const l of this.listeners) l(event);
  }
}
