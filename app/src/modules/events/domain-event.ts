/** Facts other parts of the system react to, after the change that caused them has committed. */
export type DomainEvent = {
  readonly type: 'ItemCreated';
  readonly aggregateId: string;
  readonly payload: { readonly itemId: string; readonly ownerId: string; readonly title: string };
};

export type EventType = DomainEvent['type'];

/** An event as stored in the outbox: its id is the idempotency key downstream. */
export type StoredEvent = DomainEvent & { readonly id: string };
