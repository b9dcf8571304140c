import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports.js';

/**
 * A TCP pass-through to a real server that a test can cut and restore: the dependency stays real, only the
 * network between us and it fails (every open connection is destroyed and new ones are refused). `tap` sees
 * every byte the client sends, e.g. to count the queries that really reach PostgreSQL.
 */
export async function startTcpProxy(targetPort: number, tap?: (clientBytes: Buffer) => void) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;

  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        if (tap) client.on('data', tap);
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });

  const cut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await open();
  return { port, cut, restore: open, stop: cut };
}
