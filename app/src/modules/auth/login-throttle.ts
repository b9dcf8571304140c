import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { Throttled } from '../../shared/errors.js';
import { expiringKeys } from './expiring-keys.js';

export interface ThrottleSettings {
  readonly maxFailuresPerAccountAndClient: number;
  readonly maxFailuresPerClient: number;
  readonly windowSeconds: number;
  /** Failures per account from all clients together before strangers are slowed (not refused outright). */
  readonly accountCeiling: number;
  readonly accountCeilingWindowSeconds: number;
}

/** How long a client that logged in to an account stays known to it (exempt from the account ceiling). */
const knownClientSeconds = 30 * 86_400;

const throttled = (msBeforeNext: number) =>
  new Throttled('Too many failed logins: retry later.', Math.max(1, Math.ceil(msBeforeNext / 1000)));

/**
 * Login attempts, counted so that guessing is bounded and no stranger can lock an account (ASVS 4.0.3
 * 2.2.1): per (account, client) and per client, a stranger's failures spend only the stranger's budgets;
 * per account, a ceiling over every client together bounds distributed guessing. Beyond the ceiling, clients
 * that never logged in to the account share ONE attempt per (window / ceiling) for it: slowed, never locked;
 * clients that have logged in to it before keep only their own budget, so the owner is not slowed at all.
 *
 * Every attempt takes its points BEFORE the password is checked, in one atomic increment each
 * (rate-limiter-flexible's Redis limiter is an INCRBY inside a Lua script): parallel guesses each see the
 * count the earlier ones left, so no more than the budget reaches the password check. A success gives its
 * points back. Counts are shared by every replica through Redis; without Redis (or while it is down) each
 * process counts in memory, so guessing is bounded either way.
 */
export function loginThrottle(settings: ThrottleSettings, redis: Redis | undefined, keyPrefix: string) {
  const limiter = (name: string, points: number, duration: number): RateLimiterAbstract => {
    const options = { keyPrefix: `${keyPrefix}:login-${name}`, points, duration };
    const memory = new RateLimiterMemory(options);
    return redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory })
      : memory;
  };
  const window = settings.windowSeconds;
  const perPair = limiter('account-client', settings.maxFailuresPerAccountAndClient, window);
  const perClient = limiter('client', settings.maxFailuresPerClient, window);
  const ceilingWindow = settings.accountCeilingWindowSeconds;
  const perAccount = limiter('account', settings.accountCeiling, ceilingWindow);
  // Beyond the ceiling the account's strangers are paced so that a window admits about one more ceiling.
  const strangerPace = limiter(
    'stranger-pace',
    1,
    Math.max(1, Math.round(ceilingWindow / settings.accountCeiling)),
  );
  const known = knownClients(redis, `${keyPrefix}:login-known`);

  const pair = (account: string, client: string) => `${account}\n${client}`;
  /** Resolves with the wait in ms when the budget is spent (this attempt included), else 0. */
  const take = (store: RateLimiterAbstract, key: string): Promise<number> =>
    store.consume(key).then(
      () => 0,
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return rejection.msBeforeNext;
        throw rejection;
      },
    );

  return {
    /**
     * Takes one attempt from every budget, before any password work; throws Throttled when one is spent.
     * The attempt then counts as a failure unless `succeeded` gives it back.
     */
    async begin(account: string, client: string): Promise<void> {
      const waits = await Promise.all([take(perPair, pair(account, client)), take(perClient, client)]);
      const wait = Math.max(...waits);
      if (wait > 0) throw throttled(wait);
      // Counted only for attempts that reach the password check: one client hammering past its own budget
      // must not push the account into the slow lane for everyone else.
      const overCeiling = await take(perAccount, account);
      if (overCeiling > 0 && !(await known.has(pair(account, client)))) {
        const paced = await take(strangerPace, account);
        if (paced > 0) throw throttled(paced);
      }
    },
    async succeeded(account: string, client: string): Promise<void> {
      await Promise.all([
        perPair.delete(pair(account, client)).catch(() => undefined),
        perClient.reward(client, 1).catch(() => undefined),
        perAccount.reward(account, 1).catch(() => undefined),
        known.add(pair(account, client)),
      ]);
    },
  };
}

/** Clients that have logged in to an account: in Redis (shared by replicas), else in this process. */
function knownClients(redis: Redis | undefined, prefix: string) {
  const local = expiringKeys(100_000, knownClientSeconds * 1000);
  const key = (pairKey: string) => `${prefix}:${pairKey}`;
  return {
    async add(pairKey: string): Promise<void> {
      local.set(pairKey, true);
      await redis?.set(key(pairKey), '1', 'EX', knownClientSeconds).catch(() => undefined);
    },
    /** Unknown when Redis cannot answer: the stricter answer. */
    async has(pairKey: string): Promise<boolean> {
      if (local.has(pairKey)) return true;
      return redis ? (await redis.exists(key(pairKey)).catch(() => 0)) === 1 : false;
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
