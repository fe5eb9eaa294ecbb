import type { Duplex } from 'node:stream';

const corked = new WeakSet<Duplex>();

/**
 * Corks a socket's TCP stream until the end of this tick, so the frames written to it in one turn (a flood's
 * refusals, a group commit's messages) leave in one write instead of one system call each: under the 300-socket flood
 * of bench:flood, `writev` was the largest cost in the Platform's profile. The designer gateway does the same.
 */
export function corkUntilNextTick(stream: Duplex): void {
  if (corked.has(stream)) return;
  stream.cork();
  corked.add(stream);
  process.nextTick(() => {
    corked.delete(stream);
    stream.uncork();
  });
}
