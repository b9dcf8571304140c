import type { Redis } from 'ioredis';

/**
 * A fixed-window request count per client key, shared by every replica through Redis, that does not pay a
 * Redis round trip per request. Each replica counts locally and syncs a key with Redis (adds what it admitted,
 * learns the shared total back) once `batch` admissions are unsynced, every `syncIntervalMs`, and on the first
 * request of a window. A replica admits only while
 *
 *   last shared total it learned + its own unsynced admissions < max,   and   its unsynced admissions <= batch.
 *
 * Accuracy traded, per key and window, with R replicas and batch B: at most max + (R - 1) * B requests are
 * admitted. Take the replica whose admitting sync came last (in Redis' order): it learned a total T holding
 * everything the others had synced, and admits at most max - T more; every other replica can add at most the
 * B of its current, unsynced batch. With one replica the count is exact (nobody else moves the total).
 * Refusals are never wrong: a refusal counts only admissions that really happened.
 * Not covered by the bound: a replica that stops without syncing loses up to B admissions from the count.
 * The sync interval only makes totals fresher; the bound does not depend on it.
 */
export interface BatchedCounterOptions {
  readonly redis: Redis;
  /** Redis key of a client: prefix + ':' + id. */
  readonly keyPrefix: string;
  readonly max: number;
  readonly windowMs: number;
  readonly batch: number;
  readonly syncIntervalMs: number;
}

export interface Count {
  readonly admitted: boolean;
  readonly remaining: number;
  /** Epoch milliseconds at which the window ends. */
  readonly resetAt: number;
}

/** Thrown when the count cannot be kept; the caller applies its store-failure policy. */
export class CountUnavailable extends Error {}

interface Window {
  /** The shared total as Redis last reported it, this replica's synced admissions included. */
  total: number;
  /** Admitted here, sent to Redis, reply not yet back. */
  inFlight: number;
  /** Admitted here, not yet sent. */
  pending: number;
  resetAt: number;
  sync?: Promise<void>;
}

// One atomic step: add this replica's admissions, start the window on its first write, report total and time
// left. Lua rather than PEXPIRE NX so that Redis before 7 works too.
const addAndReport = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {total, ttl}`;

export class BatchedCounter {
  private readonly windows = new Map<string, Window>();
  private readonly joining = new Map<string, Promise<void>>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: BatchedCounterOptions) {
    this.timer = setInterval(() => this.syncAll(), opts.syncIntervalMs);
    this.timer.unref();
    // The connection is closed for good at shutdown: nothing left to sync to.
    opts.redis.once('end', () => this.close());
  }

  async take(id: string): Promise<Count> {
    for (;;) {
      // Counting locally is only honest while the counts can reach Redis: a dropped connection means the
      // store has failed now, not at the next sync.
      if (this.opts.redis.status !== 'ready')
        throw new CountUnavailable(`redis is ${this.opts.redis.status}`);
      const window = this.current(id);
      if (!window) {
        await this.join(id);
        continue;
      }
      const { max, batch } = this.opts;
      const unsynced = window.inFlight + window.pending;
      if (window.total + unsynced >= max) return { admitted: false, remaining: 0, resetAt: window.resetAt };
      if (unsynced >= batch) {
        await this.sync([[id, window]]);
        continue;
      }
      window.pending += 1;
      if (unsynced + 1 >= batch) this.sync([[id, window]]).catch(() => {}); // a failure drops the window
      return { admitted: true, remaining: max - window.total - unsynced - 1, resetAt: window.resetAt };
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private current(id: string): Window | undefined {
    const window = this.windows.get(id);
    if (window && window.resetAt <= Date.now()) {
      // Admissions of an ended window no longer matter; sending them would count against the next one.
      this.windows.delete(id);
      return undefined;
    }
    return window;
  }

  /** The first request of a window (per replica) learns the shared total before admitting anything. */
  private join(id: string): Promise<void> {
    let joined = this.joining.get(id);
    if (!joined) {
      const window: Window = { total: 0, inFlight: 0, pending: 0, resetAt: Number.POSITIVE_INFINITY };
      joined = this.send([[id, window]])
        .then(() => {
          this.windows.set(id, window);
        })
        .finally(() => this.joining.delete(id));
      this.joining.set(id, joined);
    }
    return joined;
  }

  private syncAll(): void {
    const due: [string, Window][] = [];
    for (const id of this.windows.keys()) {
      const window = this.current(id);
      if (window && window.pending > 0 && !window.sync) due.push([id, window]);
    }
    if (due.length > 0) this.sync(due).catch(() => {});
  }

  /** One pipeline for the given windows; a window already syncing waits for that sync instead. */
  private sync(entries: [string, Window][]): Promise<unknown> {
    const fresh = entries.filter(([, window]) => !window.sync);
    const waits = entries.flatMap(([, window]) => (window.sync ? [window.sync] : []));
    if (fresh.length > 0) waits.push(this.send(fresh));
    return Promise.all(waits);
  }

  private send(entries: [string, Window][]): Promise<void> {
    const pipeline = this.opts.redis.pipeline();
    const sent = entries.map(([id, window]) => {
      const count = window.pending;
      window.inFlight += count;
      window.pending = 0;
      pipeline.eval(addAndReport, 1, `${this.opts.keyPrefix}:${id}`, count, this.opts.windowMs);
      return { id, window, count };
    });
    const settle = (window: Window, count: number) => {
      window.inFlight -= count;
      window.sync = undefined;
    };
    // Whether Redis counted a failed batch is unknown: the window is dropped and the next request starts over
    // from Redis (and meets the store-failure policy while Redis stays away).
    const drop = (id: string, window: Window) => {
      if (this.windows.get(id) === window) this.windows.delete(id);
    };
    const done = pipeline.exec().then(
      (results) => {
        let failure: unknown;
        sent.forEach(({ id, window, count }, i) => {
          settle(window, count);
          const [error, reply] = results?.[i] ?? [new CountUnavailable('no reply from redis')];
          if (error) {
            drop(id, window);
            failure ??= error;
            return;
          }
          const [total, ttl] = reply as [number, number];
          window.total = total;
          window.resetAt = Date.now() + ttl;
        });
        if (failure) throw failure;
      },
      (error: unknown) => {
        for (const { id, window, count } of sent) {
          settle(window, count);
          drop(id, window);
        }
        throw error;
      },
    );
    for (const { window } of sent) window.sync = done;
    return done;
  }
}
