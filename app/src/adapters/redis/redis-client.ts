import { Redis } from 'ioredis';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';

type RedisConfig = NonNullable<Config['redis']>;

/**
 * The one way to get a Redis connection. No offline queue and a command timeout: when Redis is down or slow a
 * command fails in milliseconds instead of waiting for a reconnect. Reconnects forever with capped backoff, so
 * the service recovers without a restart when Redis returns. Auto-pipelining sends the commands that many
 * concurrent requests issue in the same event-loop turn (rate-limit counts, session checks, cache reads) as one
 * write, so Redis and this process each pay one system call for the batch instead of one per command.
 */
export function createRedis(cfg: RedisConfig, log: Logger): Redis {
  const redis = new Redis(cfg.url, {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    commandTimeout: cfg.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
  });
  let lastReported = 0;
  redis.on('error', (error) => {
    // A down Redis emits an error per reconnect attempt: report at most every 10 s.
    if (Date.now() - lastReported < 10_000) return;
    lastReported = Date.now();
    log.warn({ err: error }, 'redis connection error');
  });
  return redis;
}

/**
 * Gives a new client a bounded moment to connect, so the first requests after start do not meet a client that
 * is still connecting (without an offline queue they would fail). Never fails start: Redis may come later.
 */
export async function settle(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onReady = () => done(true);
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    redis.once('ready', onReady);
  });
}
