import type { Server } from 'node:http';
import type { Logger } from '../observability/logger.js';

export interface ShutdownOptions {
  readonly server: Server;
  readonly timeoutMs: number;
  readonly log: Logger;
  /** Closes connections to the database, Redis and the rest, after the last request finished. */
  readonly closeDependencies: () => Promise<void>;
}

/**
 * Drains the server: readiness turns 503 at once, no new connections are accepted, requests in flight finish
 * (up to the timeout, after which their connections are cut), then dependencies close.
 */
export function gracefulShutdown(options: ShutdownOptions) {
  let draining = false;
  return {
    isAcceptingTraffic: () => !draining,
    async drain(): Promise<{ timedOut: boolean }> {
      draining = true;
      const { server, timeoutMs, log } = options;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections turn idle as their last response ends; close each as soon as it does.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        closed.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      clearInterval(sweep);
      if (timedOut) {
        log.warn({ timeoutMs }, 'drain timed out; closing remaining connections');
        server.closeAllConnections();
      }
      await options.closeDependencies();
      return { timedOut };
    },
  };
}
