import { Queue } from 'bullmq';
import type { StoredEvent } from '../../modules/events/domain-event.js';

export const eventQueueName = 'domain-events';

export interface JobSettings {
  readonly attempts: number;
  readonly backoffMs: number;
  /** Redis key prefix of the queue, so services (and tests) sharing a Redis never share jobs. */
  readonly prefix: string;
}

/**
 * BullMQ connection options for our Redis. Producers fail fast when Redis is down (the outbox keeps the event);
 * workers wait for Redis indefinitely, as BullMQ requires.
 */
export const queueConnection = (redisUrl: string, role: 'producer' | 'worker') => ({
  url: redisUrl,
  enableOfflineQueue: role === 'worker',
  maxRetriesPerRequest: role === 'worker' ? null : 1,
  retryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 5000),
});

/**
 * The queue the outbox relay publishes to. The job id is the outbox event id, so publishing an event twice
 * adds one job. Failed jobs retry with exponential backoff; a job out of attempts stays in the failed set,
 * which is the dead-letter state operators inspect and retry from.
 */
export function eventQueue(redisUrl: string, jobs: JobSettings) {
  const queue = new Queue(eventQueueName, {
    connection: queueConnection(redisUrl, 'producer'),
    prefix: jobs.prefix,
  });
  queue.on('error', () => undefined); // connection errors surface as failed publishes, handled by the relay
  return {
    async publish(events: readonly StoredEvent[]): Promise<void> {
      await queue.addBulk(
        events.map((event) => ({
          name: event.type,
          data: event,
          opts: {
            jobId: `event-${event.id}`,
            attempts: jobs.attempts,
            backoff: { type: 'exponential', delay: jobs.backoffMs },
            removeOnComplete: { count: 10_000 },
            removeOnFail: false,
          },
        })),
      );
    },
    // Closing sends commands to Redis; when Redis is down there is nothing to flush, so just drop the connection.
    async close(): Promise<void> {
      try {
        await queue.close();
      } catch {
        void queue.disconnect().catch(() => undefined);
      }
    },
    queue,
  };
}
