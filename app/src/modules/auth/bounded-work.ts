import { Unavailable } from '../../shared/errors.js';

/**
 * Runs at most `concurrency` tasks at once and lets at most `waiting` more queue; beyond that the caller gets
 * 503 with Retry-After at once. argon2 runs on libuv's thread pool (4 threads), first come first served: an
 * unbounded burst of hashes anyone can request (registration) would queue every login's verification behind
 * it. Bounded here, that burst keeps the other threads free for logins.
 */
export function boundedWork(limits: { concurrency: number; waiting: number }) {
  let running = 0;
  const queue: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running < limits.concurrency) {
      running += 1;
    } else {
      if (queue.length >= limits.waiting) throw new Unavailable('The service is busy: retry shortly.', 1);
      await new Promise<void>((resolve) => queue.push(resolve)); // the finishing task hands over its slot
    }
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
