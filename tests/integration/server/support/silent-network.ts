import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of the Platform that can go silent: the connections it carries stop passing bytes either way
 * without closing, as a phone's connection does when it changes networks. New connections pass normally.
 */
export function silentNetwork(targetPort: number): Promise<{ port: number; goSilent(): void; close(): void }> {
  const carried: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    carried.push(client, upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        goSilent: () => {
          for (const s of carried.splice(0)) {
            s.unpipe();
            s.pause();
          }
        },
        close: () => {
          for (const s of carried) s.destroy();
          server.close();
        },
      }),
    ),
  );
}
