import { jsonCodec, type ReadThroughCache } from '../../adapters/cache/read-through-cache.js';
import { NotFound } from '../../shared/errors.js';
import type { AfterWrite, DbClient } from '../shared/db-client.js';
import { after, newestFirst, type Page, type Position, toPage } from '../shared/pagination.js';
import type { Item } from './item.js';

export interface ItemFields {
  readonly title?: string;
  readonly description?: string | null;
  readonly active?: boolean;
}

export interface ItemQuery {
  readonly limit: number;
  readonly after?: Position;
  readonly ownerId?: string;
  readonly titleContains?: string;
}

/**
 * Prisma's P2025: the row was there when the service looked and gone when it wrote (a concurrent delete).
 * For the client that is the same as never having been there.
 */
const goneIsNotFound = (error: unknown): never => {
  if ((error as { code?: unknown }).code === 'P2025') throw new NotFound('No item with this id.');
  throw error;
};

export const itemCodec = jsonCodec<Item>('item', ['createdAt', 'updatedAt']);

export function itemRepository(db: DbClient, cache: ReadThroughCache, afterWrite: AfterWrite) {
  return {
    create(ownerId: string, fields: ItemFields & { title: string }): Promise<Item> {
      return db.item.create({ data: { ...fields, ownerId } });
    },
    findById(id: string): Promise<Item | undefined> {
      return cache.get(itemCodec, id, async () => (await db.item.findUnique({ where: { id } })) ?? undefined);
    },
    async update(id: string, fields: ItemFields): Promise<Item> {
      const item = await db.item.update({ where: { id }, data: fields }).catch(goneIsNotFound);
      await afterWrite(() => cache.invalidate(itemCodec, id));
      return item;
    },
    async delete(id: string): Promise<void> {
      await db.item.delete({ where: { id } }).catch(goneIsNotFound);
      await afterWrite(() => cache.invalidate(itemCodec, id));
    },
    async list(query: ItemQuery): Promise<Page<Item>> {
      const rows = await db.item.findMany({
        where: {
          ...after(query.after),
          ownerId: query.ownerId,
          title: query.titleContains ? { contains: query.titleContains, mode: 'insensitive' } : undefined,
        },
        orderBy: newestFirst,
        take: query.limit + 1,
      });
      return toPage(rows, query.limit, (row) => row);
    },
  };
}

export type ItemRepository = ReturnType<typeof itemRepository>;
