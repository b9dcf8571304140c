import { connect, type Socket } from 'node:net';

export interface IdleResult {
  readonly held: number;
  readonly errors: number;
  readonly openMs: number;
}

/**
 * Opens `count` keep-alive connections to the server, sends one request on each, and keeps every one of them
 * open and idle afterwards, as a crowd of quiet clients (or a mesh's connection pools) would. Returns once all
 * are idle; `release` closes them.
 */
export async function holdIdleConnections(url: string, path: string, count: number, batch = 250) {
  const { hostname, port } = new URL(url);
  const sockets: Socket[] = [];
  let errors = 0;
  const started = performance.now();
  const open = () =>
    new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname);
      let seen = '';
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        socket.setTimeout(0);
        if (ok) sockets.push(socket);
        else {
          errors += 1;
          socket.destroy();
        }
        resolve();
      };
      socket.setTimeout(30_000, () => settle(false));
      socket.once('error', () => settle(false));
      socket.once('close', () => settle(false));
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.toString('latin1');
        if (seen.includes('\r\n\r\n')) settle(seen.startsWith('HTTP/1.1 200'));
      });
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
    });
  for (let opened = 0; opened < count; opened += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - opened) }, open));
  }
  const openMs = performance.now() - started;
  return {
    /** Connections still open right now (a server closing idle ones would lower this). */
    stillOpen: () => sockets.filter((socket) => !socket.destroyed && socket.readyState === 'open').length,
    result: (): IdleResult => ({ held: sockets.length, errors, openMs }),
    release: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
