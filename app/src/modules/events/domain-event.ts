/** Facts other parts of the system react to, after the change that caused them has committed. */
export type DomainEvent = {
  readonly type: 'ItemCreated';
  readonly aggregateId: string;
  readonly payload: { readonly itemId: string; readonly ownerId: string; readonly title: string };
};

export type EventType = DomainEvent['type'];

/** An event as stored in the outbox: its id is the idempotency key downstream. */
export type StoredEvent = DomainEvent & { readonly id: string };

/**
 * The payload as jsonb text. JSON.stringify escapes a lone surrogate as `\ud800`, which PostgreSQL's jsonb
 * refuses; the text columns store such a character as U+FFFD (its UTF-8 encoding), so the payload does too and
 * the event names the title exactly as the row holds it.
 */
export const payloadJson = (payload: DomainEvent['payload']): string =>
  JSON.stringify(payload, (_key, value: unknown) =>
    typeof value === 'string' ? value.toWellFormed() : value,
  );
