import type { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';

export interface CacheSettings {
  readonly ttlSeconds: number;
  readonly keyPrefix: string;
}

/** How one kind of record is stored: as JSON, with a reviver for what JSON loses (dates). */
export interface Codec<T> {
  readonly name: string;
  encode(value: T): string;
  decode(text: string): T;
}

export interface ReadThroughCache {
  /** The cached value, or `load()`'s, stored for next time. Concurrent misses for one key share one load. */
  get<T>(codec: Codec<T>, id: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  invalidate(codec: Codec<unknown>, id: string): Promise<void>;
}

/**
 * Redis read-through cache with in-process single-flight: under load a cold key reaches the database once per
 * process, not once per request. Redis failing (down, or slower than its command timeout) never fails a read:
 * the cache is bypassed and the database answers.
 */
export function readThroughCache(
  redis: Redis,
  settings: CacheSettings,
  log: Logger,
  onLookup: (cache: string, hit: boolean) => void = () => undefined,
): ReadThroughCache {
  const inFlight = new Map<string, Promise<unknown>>();
  // Bumped by each invalidation: a load that started before it must not write its (older) value back.
  const generations = new Map<string, number>();
  const keyOf = (codec: Codec<unknown>, id: string) => `${settings.keyPrefix}:cache:${codec.name}:${id}`;
  const quietly = <T>(operation: Promise<T>, what: string) =>
    operation.catch((error: unknown) => {
      log.debug({ err: error }, `cache ${what} skipped`);
      return undefined;
    });

  return {
    get<T>(codec: Codec<T>, id: string, load: () => Promise<T | undefined>) {
      const key = keyOf(codec as Codec<unknown>, id);
      const pending = inFlight.get(key);
      if (pending) return pending as Promise<T | undefined>;
      const lookup = (async () => {
        const cached = await quietly(redis.get(key), 'read');
        onLookup(codec.name, cached != null);
        if (cached != null) return codec.decode(cached);
        const generation = generations.get(key);
        const value = await load();
        if (value !== undefined && generations.get(key) === generation) {
          await quietly(redis.set(key, codec.encode(value), 'EX', settings.ttlSeconds), 'write');
        }
        return value;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, lookup);
      return lookup;
    },
    async invalidate(codec, id) {
      const key = keyOf(codec, id);
      generations.set(key, (generations.get(key) ?? 0) + 1);
      inFlight.delete(key);
      await quietly(redis.del(key), 'invalidation');
    },
  };
}

/** No cache (local tier, or turned off): every read goes to the database. */
export const noCache: ReadThroughCache = {
  get: (_codec, _id, load) => load(),
  invalidate: async () => undefined,
};

/** Invalidates like `cache` but never reads from it: for reads that must see a transaction's own writes. */
export const invalidateOnly = (cache: ReadThroughCache): ReadThroughCache => ({
  get: (_codec, _id, load) => load(),
  invalidate: (codec, id) => cache.invalidate(codec, id),
});

/** JSON with ISO date strings turned back into Dates for the named fields. */
export function jsonCodec<T>(name: string, dateFields: readonly string[]): Codec<T> {
  const dates = new Set(dateFields);
  return {
    name,
    encode: (value) => JSON.stringify(value),
    decode: (text) =>
      JSON.parse(text, (key, value) =>
        dates.has(key) && typeof value === 'string' ? new Date(value) : value,
      ) as T,
  };
}
