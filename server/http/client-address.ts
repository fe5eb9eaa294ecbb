import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * The end user's address behind the Platform's own proxies (`--trust-proxy`). Behind a load balancer every connection
 * comes from the balancer: without this, one user's flood limits would be every user's, and the per-address caps
 * (open chats, messages a second) would refuse a busy site's users as one. The balancer's `X-Forwarded-For` is believed
 * only on connections from a trusted proxy, so a client cannot pick an address to dodge its limits.
 */
export class ClientAddresses {
  private readonly trusted = new BlockList();
  readonly trustsAny: boolean;

  /** @param proxies addresses (`10.0.0.5`, `::1`) or networks (`10.0.0.0/8`) of proxies in front of this Platform. */
  constructor(proxies: readonly string[] = []) {
    for (const entry of proxies) addTrusted(this.trusted, entry);
    this.trustsAny = proxies.length > 0;
  }

  /** Is this socket address one of the trusted proxies? (Their connections carry many users.) */
  isTrustedProxy(address: string | undefined): boolean {
    if (!this.trustsAny || !address) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client's address: the socket's, or, on a connection from a trusted proxy, the nearest address in
   * `X-Forwarded-For` that is not itself a trusted proxy (a chain of proxies appends one each, right to left).
   */
  of(req: Pick<IncomingMessage, 'socket' | 'headers'>): string {
    const socketAddress = req.socket.remoteAddress;
    if (!this.isTrustedProxy(socketAddress)) return socketAddressOf(req.socket);
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = unmapped(hops[i]!);
      // Something that is not an address (a typo in a proxy's config, a client's invention): stop believing there.
      if (isIP(hop) === 0) break;
      if (!this.isTrustedProxy(hop)) return hop;
    }
    return unmapped(socketAddress!);
  }
}

/** `::ffff:203.0.113.7` (an IPv4 client on a dual-stack socket) is `203.0.113.7`: one address, one key of the limits. */
/** The peer's address of a socket, as the limits key it (see `unmapped`). */
export function socketAddressOf(socket: { remoteAddress?: string | undefined }): string {
  return socket.remoteAddress ? unmapped(socket.remoteAddress) : 'unknown';
}

export function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function addTrusted(list: BlockList, entry: string): void {
  const [address, bits, extra] = entry.trim().split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) throw new Error(`--trust-proxy takes addresses or networks (10.0.0.5, ::1, 10.0.0.0/8), not "${entry}"`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) return list.addAddress(address!, type);
  const prefix = Number(bits);
  if (!/^\d+$/.test(bits) || prefix > (family === 6 ? 128 : 32)) throw new Error(`--trust-proxy: "${entry}" has no valid prefix length`);
  list.addSubnet(address!, prefix, type);
}
