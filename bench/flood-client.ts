/**
 * The flooder of bench:flood, in its own process: told `{ kind, port }` over IPC, it runs that flood against the
 * Platform from 127.0.0.2 and answers with what happened (the bench counts what was stored itself).
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const FLOODER_ADDRESS = '127.0.0.2';

interface Frame {
  type: string;
  code?: string;
  clientId?: string;
  message?: { seq: number; from: string; clientId?: string };
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, localAddress: FLOODER_ADDRESS, handshakeTimeout: 10_000 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`upgrade refused with HTTP ${res.statusCode}`));
    });
  });
}

const newSession = () => randomBytes(18).toString('base64url');
const hello = (session: string) => JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget', session });

export interface FloodOutcome {
  sent: number;
  refused: number;
  socketsTurnedAway: number;
  /** Sockets welcomed (at most a few at a time: a place frees when one closes). */
  socketsLetIn: number;
  /** A word to find the flooder's conversation with (search). */
  marker: string;
}

/** Resolves when `test` holds, checked on every frame of `ws`, or after `ms` (real time: a bench, not a test). */
function until(ws: WebSocket, test: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (test()) return resolve();
    const timer = setTimeout(finish, ms);
    function check() {
      if (test()) finish();
    }
    function finish() {
      clearTimeout(timer);
      ws.off('message', check);
      ws.off('close', finish);
      resolve();
    }
    ws.on('message', check);
    ws.once('close', finish);
  });
}

async function floodManySockets(base: string, sockets: number, perSocket: number): Promise<FloodOutcome> {
  const session = newSession();
  const marker = `floodmany${randomBytes(3).toString('hex')}`;
  let sent = 0;
  let refused = 0;
  let turnedAway = 0;
  let letIn = 0;
  await Promise.all(
    Array.from({ length: sockets }, async (_, s) => {
      let ws: WebSocket;
      try {
        ws = await open(`${base}/ws/chat?bot=starter`);
      } catch {
        turnedAway += 1;
        return;
      }
      const answered = new Set<string>();
      let welcomed = false;
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString()) as Frame;
        if (f.type === 'welcome') {
          welcomed = true;
          letIn += 1;
        }
        if (f.type === 'error' && !f.clientId) turnedAway += 1;
        if (f.type === 'error' && f.clientId) {
          refused += 1;
          answered.add(f.clientId);
        }
        if (f.type === 'message' && f.message?.clientId) answered.add(f.message.clientId);
      });
      // A flooder does not wait for the welcome: hello and ten messages go out at once.
      ws.send(hello(session));
      for (let i = 0; i < perSocket; i++) {
        ws.send(JSON.stringify({ type: 'send', clientId: `m${s}-${i}`, text: `${marker} ${s} ${i}` }));
        sent += 1;
      }
      await until(ws, () => welcomed && answered.size >= perSocket, 15_000);
      ws.terminate();
    }),
  );
  return { sent, refused, socketsTurnedAway: turnedAway, socketsLetIn: letIn, marker };
}

async function floodReconnects(base: string, reconnects: number, perSocket: number): Promise<FloodOutcome> {
  const session = newSession();
  const marker = `floodre${randomBytes(3).toString('hex')}`;
  let sent = 0;
  let refused = 0;
  let turnedAway = 0;
  let letIn = 0;
  for (let r = 0; r < reconnects; r++) {
    let ws: WebSocket;
    try {
      ws = await open(`${base}/ws/chat?bot=starter`);
    } catch {
      // Refused before the handshake (too many opened from this address): a flooder tries again at once.
      turnedAway += 1;
      continue;
    }
    const answered = new Set<string>();
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      if (f.type === 'welcome') letIn += 1;
      if (f.type === 'error' && !f.clientId) turnedAway += 1;
      if (f.type === 'error' && f.clientId) {
        refused += 1;
        answered.add(f.clientId);
      }
      if (f.type === 'message' && f.message?.clientId?.startsWith(`r${r}-`)) answered.add(f.message.clientId);
    });
    ws.send(hello(session));
    for (let i = 0; i < perSocket; i++) {
      ws.send(JSON.stringify({ type: 'send', clientId: `r${r}-${i}`, text: `${marker} ${r} ${i}` }));
      sent += 1;
    }
    await until(ws, () => answered.size >= perSocket, 15_000);
    // Refused sockets are already closed by the Platform: reconnect at once.
    if (ws.readyState !== WebSocket.CLOSED) {
      const gone = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close();
      await Promise.race([gone, new Promise((r) => setTimeout(r, 2_000))]);
    }
  }
  return { sent, refused, socketsTurnedAway: turnedAway, socketsLetIn: letIn, marker };
}


process.on('message', (m: { kind: 'many-sockets' | 'reconnects'; port: number }) => {
  const base = `ws://127.0.0.1:${m.port}`;
  const run = m.kind === 'many-sockets' ? floodManySockets(base, 300, 10) : floodReconnects(base, 100, 10);
  void run.then((outcome) => process.send!(outcome));
});
