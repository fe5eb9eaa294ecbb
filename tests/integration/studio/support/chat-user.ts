import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { ChatMessage } from '../../../../protocol/chat-wire.js';

/**
 * An end user on the Landing Page, speaking the chat WebSocket protocol (protocol/chat-wire.ts) directly:
 * what a browser page does, without the page.
 */
export class ChatUser {
  readonly messages: ChatMessage[] = [];
  private socket!: WebSocket;
  private sent = 0;

  private constructor(
    private readonly platformUrl: string,
    private readonly bot: string,
    private readonly session: string,
  ) {}

  static async open(platformUrl: string, bot = 'starter'): Promise<ChatUser> {
    const u = new ChatUser(platformUrl, bot, randomBytes(16).toString('hex'));
    await u.connect();
    return u;
  }

  private async connect(): Promise<void> {
    const ws = new WebSocket(`${this.platformUrl.replace(/^http/, 'ws')}/ws/chat?bot=${this.bot}`, { origin: this.platformUrl });
    this.socket = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; messages?: ChatMessage[]; message?: ChatMessage };
      const incoming = frame.type === 'welcome' ? (frame.messages ?? []) : frame.type === 'message' && frame.message ? [frame.message] : [];
      for (const m of incoming) if (!this.messages.some((x) => x.seq === m.seq)) this.messages.push(m);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, bot: this.bot, channel: 'landing', session: this.session, lastSeq: this.lastSeq() }));
  }

  lastSeq(): number {
    return this.messages.reduce((m, x) => Math.max(m, x.seq), 0);
  }

  say(text: string): void {
    this.socket.send(JSON.stringify({ type: 'send', clientId: `u${++this.sent}-${this.session.slice(0, 6)}`, text }));
  }

  /** Reconnects with the same browser session (after a Platform restart). */
  async reconnect(): Promise<void> {
    this.socket.terminate();
    await this.connect();
  }

  texts(): string[] {
    return [...this.messages].sort((a, b) => a.seq - b.seq).map((m) => `${m.from}: ${m.text}`);
  }

  close(): void {
    this.socket.terminate();
  }
}
