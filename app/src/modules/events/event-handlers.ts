import type { UnitOfWork } from '../unit-of-work.js';
import type { EventType, StoredEvent } from './domain-event.js';

type Handler = (uow: UnitOfWork, event: StoredEvent) => Promise<'applied' | 'duplicate'>;

/**
 * Applies an event's effect exactly once: the effect and the "processed" mark commit together, so a
 * redelivered event (worker killed mid-job, retry after a timeout) finds the mark and changes nothing.
 */
const once =
  (
    name: string,
    effect: (
      repos: Parameters<Parameters<UnitOfWork['transaction']>[0]>[0],
      event: StoredEvent,
    ) => Promise<void>,
  ): Handler =>
  (uow, event) =>
    uow.transaction(async (repos) => {
      if (!(await repos.outbox.markProcessed(event.id, name))) return 'duplicate';
      await effect(repos, event);
      return 'applied';
    });

export const eventHandlers: Record<EventType, Handler> = {
  ItemCreated: once('notify-owner', (repos, event) =>
    repos.notifications.create({
      userId: event.payload.ownerId,
      kind: 'item-created',
      subjectId: event.payload.itemId,
    }),
  ),
};
