import type { DbClient } from '../shared/db-client.js';
import type { DomainEvent, StoredEvent } from './domain-event.js';

export function outboxRepository(db: DbClient) {
  return {
    /** Call inside the transaction that makes the change, so the event exists if and only if the change does. */
    async append(event: DomainEvent): Promise<void> {
      await db.outboxEvent.create({
        data: { type: event.type, aggregateId: event.aggregateId, payload: event.payload },
      });
    },
    /**
     * The oldest unpublished events, locked for this transaction; SKIP LOCKED lets every replica relay at once
     * without two of them taking the same event.
     */
    async claimUnpublished(limit: number): Promise<StoredEvent[]> {
      const rows = await db.$queryRaw<{ id: bigint; type: string; aggregate_id: string; payload: unknown }[]>`
        SELECT id, type, aggregate_id, payload FROM outbox_events
        WHERE published_at IS NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      return rows.map(
        (row) =>
          ({
            id: row.id.toString(),
            type: row.type,
            aggregateId: row.aggregate_id,
            payload: row.payload,
          }) as StoredEvent,
      );
    },
    async markPublished(ids: readonly string[]): Promise<void> {
      await db.outboxEvent.updateMany({
        where: { id: { in: ids.map(BigInt) } },
        data: { publishedAt: new Date() },
      });
    },
    /**
     * How many events wait to be relayed, and for how long the oldest has: the outbox lag, in one statement
     * over the (published_at, id) index. Its age is by the database clock, the one `created_at` was set by.
     */
    async pendingBacklog(): Promise<{ pending: number; oldestAgeSeconds: number }> {
      const [row] = await db.$queryRaw<{ pending: number; oldest_age_seconds: number }[]>`
        SELECT count(*)::int AS pending,
               COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_age_seconds
        FROM outbox_events WHERE published_at IS NULL`;
      return { pending: row?.pending ?? 0, oldestAgeSeconds: Math.max(0, row?.oldest_age_seconds ?? 0) };
    },
    /** Records that `handler` applied the event; false when it already had (a redelivery). */
    async markProcessed(eventId: string, handler: string): Promise<boolean> {
      const inserted = await db.$executeRaw`
        INSERT INTO processed_events (event_id, handler) VALUES (${BigInt(eventId)}, ${handler})
        ON CONFLICT DO NOTHING`;
      return inserted === 1;
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
