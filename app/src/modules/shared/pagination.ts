import { z } from 'zod';
import { Invalid } from '../../shared/errors.js';
import { isStorableDate } from './storable.js';

export const maxPageSize = 100;

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(20),
  cursor: z.string().max(200).optional(),
});

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Keyset position: newest first by (createdAt, id). Stable while rows are inserted, unlike an offset. */
export interface Position {
  readonly createdAt: Date;
  readonly id: string;
}

export const encodeCursor = (position: Position) =>
  Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const position = { createdAt: new Date(createdAt), id: z.uuid().parse(id) };
    if (!isStorableDate(position.createdAt)) throw new Error('no row has this date');
    return position;
  } catch {
    throw new Invalid('The cursor is not one this API returned.', [
      { field: 'cursor', message: 'unknown cursor' },
    ]);
  }
}

/** Prisma `where` and `orderBy` for the rows after a position, newest first. */
export const after = (position: Position | undefined) =>
  position
    ? {
        OR: [
          { createdAt: { lt: position.createdAt } },
          { createdAt: position.createdAt, id: { lt: position.id } },
        ],
      }
    : {};

export const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Fetch `limit + 1` rows, then call this: the extra row only tells whether there is a next page. */
export function toPage<Row extends Position, T>(rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
