import { describe, expect, it } from 'vitest';
import { ClientAddresses } from '../../../../server/http/client-address.js';

const req = (remoteAddress: string | undefined, forwardedFor?: string | string[]) => ({
  socket: { remoteAddress } as never,
  headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
});

describe('the client address behind trusted proxies (--trust-proxy)', () => {
  it('believes X-Forwarded-For only on a trusted proxy’s connection: a client cannot choose its address', () => {
    const none = new ClientAddresses();
    expect(none.of(req('198.51.100.7', '203.0.113.1'))).toBe('198.51.100.7');
    const lb = new ClientAddresses(['10.0.0.5']);
    expect(lb.of(req('198.51.100.7', '203.0.113.1'))).toBe('198.51.100.7');
    expect(lb.of(req('10.0.0.5', '203.0.113.1'))).toBe('203.0.113.1');
  });

  it('takes the nearest untrusted hop of a chain: what the client wrote itself on the left is not believed', () => {
    const lbs = new ClientAddresses(['10.0.0.0/8', '::1']);
    // The client claimed 1.1.1.1; the edge proxy 10.0.0.9 saw 203.0.113.1; the inner one 10.0.0.5 saw 10.0.0.9.
    expect(lbs.of(req('10.0.0.5', '1.1.1.1, 203.0.113.1, 10.0.0.9'))).toBe('203.0.113.1');
    // Several headers are one list.
    expect(lbs.of(req('::1', ['1.1.1.1', '203.0.113.1, 10.0.0.9']))).toBe('203.0.113.1');
    // Only proxies in the chain, or nothing: the proxy's own address.
    expect(lbs.of(req('10.0.0.5', '10.0.0.9'))).toBe('10.0.0.5');
    expect(lbs.of(req('10.0.0.5'))).toBe('10.0.0.5');
    // Garbage stops the walk: the proxy is the last thing known.
    expect(lbs.of(req('10.0.0.5', '1.1.1.1, not-an-address'))).toBe('10.0.0.5');
  });

  it('reads IPv4 clients on dual-stack sockets as IPv4, and IPv6 networks', () => {
    const lb = new ClientAddresses(['127.0.0.1', '2001:db8::/32']);
    expect(lb.isTrustedProxy('::ffff:127.0.0.1')).toBe(true);
    expect(lb.of(req('::ffff:127.0.0.1', '::ffff:203.0.113.4'))).toBe('203.0.113.4');
    expect(lb.of(req('2001:db8::7', '2001:db9::1'))).toBe('2001:db9::1');
    expect(new ClientAddresses().of(req('::ffff:198.51.100.7'))).toBe('198.51.100.7');
    expect(new ClientAddresses().of(req(undefined))).toBe('unknown');
  });

  it('refuses what is not an address or a network, naming it', () => {
    expect(() => new ClientAddresses(['localhost'])).toThrow(/--trust-proxy takes addresses or networks .*"localhost"/);
    expect(() => new ClientAddresses(['10.0.0.0/33'])).toThrow(/"10\.0\.0\.0\/33" has no valid prefix length/);
    expect(() => new ClientAddresses(['10.0.0.0/8/1'])).toThrow(/--trust-proxy/);
  });
});
