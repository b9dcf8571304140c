import { randomUUID } from 'node:crypto';
import { NotFound } from '../../shared/errors.js';
import { auditEvent } from '../audit/audit-event.js';
import type { Position } from '../shared/pagination.js';
import type { Principal, RequestMeta } from '../shared/request-meta.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { Item } from './item.js';
import type { ItemFields } from './item-repository.js';

export interface ItemDeps {
  readonly uow: UnitOfWork;
  /** Called after a commit that wrote domain events, so they leave the outbox without waiting for a tick. */
  readonly eventsWritten?: () => void;
}

const isAdmin = (principal: Principal) => principal.role === 'ADMIN';

/** Items are private to their owner (and admins). Anyone else gets the same 404 as for an id that never existed. */
async function visibleItem(deps: ItemDeps, principal: Principal, id: string): Promise<Item> {
  const item = await deps.uow.repos.items.findById(id);
  if (!item || (item.ownerId !== principal.userId && !isAdmin(principal)))
    throw new NotFound('No item with this id.');
  return item;
}

export const getItem = visibleItem;

export async function createItem(
  deps: ItemDeps,
  principal: Principal,
  fields: ItemFields & { title: string },
) {
  const id = randomUUID();
  const item = await deps.uow.repos.items.createWithEvent(
    { ...fields, id, ownerId: principal.userId },
    {
      type: 'ItemCreated',
      aggregateId: id,
      payload: { itemId: id, ownerId: principal.userId, title: fields.title },
    },
  );
  deps.eventsWritten?.();
  return item;
}

export function listItems(
  deps: ItemDeps,
  principal: Principal,
  query: { limit: number; after?: Position; ownerId?: string; q?: string },
) {
  return deps.uow.repos.items.list({
    limit: query.limit,
    after: query.after,
    ownerId: isAdmin(principal) ? query.ownerId : principal.userId,
    titleContains: query.q,
  });
}

export async function updateItem(deps: ItemDeps, principal: Principal, id: string, fields: ItemFields) {
  await visibleItem(deps, principal, id);
  return deps.uow.repos.items.update(id, fields);
}

export async function deleteItem(deps: ItemDeps, principal: Principal, id: string, meta: RequestMeta) {
  const item = await visibleItem(deps, principal, id);
  await deps.uow.transaction(async (repos) => {
    await repos.items.delete(id);
    await repos.audit.record(
      auditEvent(meta, {
        actorId: principal.userId,
        action: 'item.deleted',
        target: id,
        metadata: { ownerId: item.ownerId },
      }),
    );
  });
}
