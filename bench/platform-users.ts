/**
 * The simulated end users of bench:platform: one conversation each, one message in flight at a time (closed loop).
 * `SocketUser` is the Chat Widget (its WebSocket), `RestUser` an application calling the Pandorabots REST API.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

export function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** `ws`: the Chat Widget's WebSocket; `rest`: the Pandorabots REST API's talk call. */
export type Transport = 'ws' | 'rest';

/** An answer, or the error the Platform gave instead (an error frame's code, or an HTTP status). */
export type Outcome = { ok: true; ms: number } | { ok: false; error: string };

/** Counts the Platform's refusals by code, for the run's errors line. */
export type ErrorCounter = (code: string) => void;

export interface User {
  readonly n: number;
  /** The Platform instance this user talks to (its index). */
  readonly instance: number;
  busy: boolean;
  /** Still holds its conversation open (a WebSocket user: its socket is open; a REST user holds no connection). */
  readonly held: boolean;
  connect(): Promise<void>;
  send(clientId: string, text: string, done: (outcome: Outcome) => void): void;
  close(): void;
}

/** An end user of the Chat Widget: one WebSocket. */
export class SocketUser implements User {
  ws!: WebSocket;
  busy = false;
  sentAt = 0;
  private done: ((outcome: Outcome) => void) | undefined;
  private ownSeq = -1;

  constructor(
    readonly n: number,
    readonly instance: number,
    private readonly base: string,
    private readonly countError: ErrorCounter,
  ) {}

  get held(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  async connect(): Promise<void> {
    this.ws = await open(`${this.base}/ws/chat?bot=starter`);
    const welcomed = new Promise<void>((resolve, reject) => {
      this.ws.once('message', (data) => {
        const f = JSON.parse(data.toString()) as { type: string; code?: string; message?: string };
        if (f.type === 'welcome') resolve();
        else reject(new Error(`user ${this.n}: the Platform answered hello with ${f.type} ${f.code ?? ''}: ${f.message ?? ''}`));
      });
    });
    this.ws.send(JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget', session: randomBytes(18).toString('base64url') }));
    await welcomed;
    this.ws.on('message', (data) => this.frame(data.toString()));
  }

  send(clientId: string, text: string, done: (outcome: Outcome) => void): void {
    this.busy = true;
    this.done = done;
    this.ownSeq = -1;
    this.sentAt = performance.now();
    this.ws.send(JSON.stringify({ type: 'send', clientId, text }));
  }

  close(): void {
    this.ws.terminate();
  }

  private frame(text: string): void {
    const f = JSON.parse(text) as { type: string; message?: { seq: number; from: string; clientId?: string }; code?: string; text?: string };
    if (f.type === 'error') {
      const code = f.code ?? '?';
      this.countError(code);
      this.busy = false;
      this.done?.({ ok: false, error: `error frame ${code}: ${(f as { message?: string }).message ?? ''}` });
      this.done = undefined;
      return;
    }
    if (f.type !== 'message' || !f.message) return;
    if (f.message.from === 'user') this.ownSeq = f.message.seq;
    else if (this.busy && f.message.seq === this.ownSeq + 1) {
      this.busy = false;
      this.done?.({ ok: true, ms: performance.now() - this.sentAt });
      this.done = undefined;
    }
  }
}

/** An end user behind an application calling the REST API: one client_name, one session, a POST per message. */
export class RestUser implements User {
  busy = false;
  readonly held = true;
  private session: string | undefined;

  constructor(
    readonly n: number,
    readonly instance: number,
    private readonly talkUrl: string,
    private readonly userKey: string,
    private readonly countError: ErrorCounter,
  ) {}

  async connect(): Promise<void> {}

  send(_clientId: string, text: string, done: (outcome: Outcome) => void): void {
    this.busy = true;
    const sentAt = performance.now();
    const body = new URLSearchParams({ user_key: this.userKey, input: text, client_name: `bench-user-${this.n}` });
    if (this.session) body.set('sessionid', this.session);
    fetch(this.talkUrl, { method: 'POST', body })
      .then(async (res) => {
        const json = (await res.json()) as { status?: string; sessionid?: number; message?: string };
        this.busy = false;
        if (!res.ok || json.status !== 'ok') {
          const code = `HTTP ${res.status}`;
          this.countError(code);
          done({ ok: false, error: `${code}: ${json.message ?? ''}` });
          return;
        }
        if (json.sessionid !== undefined) this.session = String(json.sessionid);
        done({ ok: true, ms: performance.now() - sentAt });
      })
      .catch((error: unknown) => {
        this.busy = false;
        this.countError('network');
        done({ ok: false, error: String(error) });
      });
  }

  close(): void {}
}
