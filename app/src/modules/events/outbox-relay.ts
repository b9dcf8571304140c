import { AsyncResource } from 'node:async_hooks';
import type { Logger } from '../../observability/logger.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { StoredEvent } from './domain-event.js';

export interface RelaySettings {
  readonly intervalMs: number;
  readonly batchSize: number;
  /** A publish that takes longer fails the batch: the claimed rows must not stay locked behind a stuck queue. */
  readonly publishTimeoutMs?: number;
}

/** Hands events to the queue; must be idempotent per event id (the queue de-duplicates by job id). */
export type Publish = (events: readonly StoredEvent[]) => Promise<void>;

/**
 * Moves committed events from the outbox to the queue. An event is marked published only in the transaction
 * that published it: if the queue (Redis) is down, or the process dies, the event stays in the outbox and the
 * next tick (here or on another replica) sends it. A crash after publishing but before commit sends it twice;
 * the queue drops the duplicate job id, and handlers are idempotent anyway.
 */
export function startOutboxRelay(uow: UnitOfWork, publish: Publish, settings: RelaySettings, log: Logger) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;

  const relayOnce = async (): Promise<number> =>
    uow.transaction(async (repos) => {
      const events = await repos.outbox.claimUnpublished(settings.batchSize);
      if (events.length === 0) return 0;
      await withTimeout(publish(events), settings.publishTimeoutMs ?? 5000);
      await repos.outbox.markPublished(events.map((event) => event.id));
      return events.length;
    });

  const tick = async () => {
    try {
      while (!stopped && (await relayOnce()) === settings.batchSize) {
        // a full batch: more may be waiting
      }
      if (failing) log.info('outbox relay recovered');
      failing = false;
    } catch (error) {
      if (!failing)
        log.warn({ err: error }, 'outbox relay failed; events stay in the outbox and are retried');
      failing = true;
    }
  };

  // Bound to the context the relay starts in (outside any request): a nudge comes from inside a request, and
  // unbound, the loop and every timer it sets would carry that request's context from then on, its request id
  // on the relay's log lines and its (ended) server span as the parent of the relay's queries.
  const run = AsyncResource.bind(() => {
    clearTimeout(timer);
    running = tick().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(run, settings.intervalMs);
    });
  });
  timer = setTimeout(run, settings.intervalMs);

  return {
    /** Relay now instead of at the next tick (called after a commit that wrote events). */
    nudge(): void {
      if (!stopped && !running) run();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type OutboxRelay = ReturnType<typeof startOutboxRelay>;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`publish took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
