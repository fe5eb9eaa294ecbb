import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A designer gateway the test drives by hand, for the protocol edge cases that a real Platform will not produce
 * on demand (dropped connections at chosen moments, silent peers, replays that overlap, frames that do not fit).
 */
export class FakeDesignerServer {
  readonly connections: { socket: WebSocket; authorization?: string; frames: Record<string, unknown>[] }[] = [];
  private http!: Server;
  private wss!: WebSocketServer;
  port = 0;
  /** Tokens accepted; anything else gets HTTP 401 on the upgrade. */
  tokens = new Set(['good-token']);

  static async start(options: { autoPong?: boolean } = {}): Promise<FakeDesignerServer> {
    const s = new FakeDesignerServer();
    await s.listen(0, options);
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port: number, options: { autoPong?: boolean } = {}): Promise<void> {
    this.http = createServer((_req, res) => res.writeHead(404).end());
    this.wss = new WebSocketServer({ noServer: true, autoPong: options.autoPong ?? true });
    this.http.on('upgrade', (req, socket, head) => {
      const auth = req.headers.authorization;
      if (req.url !== '/ws/designer' || !auth || !this.tokens.has(auth.replace(/^Bearer /, ''))) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const c = { socket: ws, authorization: auth, frames: [] as Record<string, unknown>[] };
        this.connections.push(c);
        ws.on('message', (d) => c.frames.push(JSON.parse(d.toString())));
      });
    });
    await new Promise<void>((resolve) => this.http.listen(port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  get last() {
    const c = this.connections.at(-1);
    if (!c) throw new Error('no connection yet');
    return c;
  }

  send(frame: unknown, c = this.last): void {
    c.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  welcome(c = this.last, bots: unknown[] = []): void {
    this.send({ type: 'welcome', protocol: 1, designer: { id: 'd1', name: 'Ada' }, serverTime: 0, bots }, c);
  }

  /** Drops every connection and stops listening (the port is kept for a restart). */
  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
  }
}
