import type { WebSocket } from 'ws';

/**
 * Closes sockets with a reason, and cuts the ones whose peer has not answered the close within `graceMs`. A peer on a
 * dead network never answers: ws would wait its 30-second closing timeout, and the Platform's shutdown with it.
 */
export function closeWithin(sockets: WebSocket[], code: number, reason: string, graceMs = 1_000): void {
  for (const socket of sockets) socket.close(code, reason);
  if (sockets.length === 0) return;
  setTimeout(() => {
    for (const socket of sockets) if (socket.readyState !== socket.CLOSED) socket.terminate();
  }, graceMs).unref();
}
