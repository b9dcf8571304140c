import { LRUCache } from 'lru-cache';

/**
 * A bounded set of keys that expire. Bounded by `maxSize` with every key counting one rather than by `max`:
 * lru-cache preallocates storage for `max` entries when it is built, which for the 100,000 keys here was a
 * tenth of a second of every cold start; sized this way it grows as keys arrive and evicts the same way.
 */
export const expiringKeys = (maxEntries: number, ttlMs: number) =>
  new LRUCache<string, true>({ maxSize: maxEntries, sizeCalculation: () => 1, ttl: ttlMs });
