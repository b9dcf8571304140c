import { z } from 'zod';

/**
 * Instants every store here can hold and compare: years 1 to 9999 (UTC). A JavaScript Date reaches year
 * ±275760 and PostgreSQL's timestamptz 4713 BC, but year 0 and below (and five-digit years) fail inside
 * Prisma's query engine: a client's impossible value must be refused as its mistake (422), not a 500.
 */
export const isStorableDate = (date: Date) => {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1 && year <= 9999;
};

/** An ISO 8601 date-time query value, with offset, that is a storable instant. */
export const storableDateTime = z.iso
  .datetime({ offset: true })
  .refine((value) => isStorableDate(new Date(value)), { message: 'must be between years 1 and 9999' });

/** PostgreSQL bigint (int8) upper bound: ids and cursors past it are no row's. */
export const maxBigint = 2n ** 63n - 1n;
