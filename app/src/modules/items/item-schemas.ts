import { z } from 'zod';
import { fieldsParam } from '../shared/field-selection.js';
import { pageQuery } from '../shared/pagination.js';

const title = z.string().trim().min(1).max(200);
const description = z.string().max(5000).nullable();

export const itemCreate = z
  .strictObject({ title, description: description.optional() })
  .meta({ id: 'ItemCreate' });

export const itemReplace = z
  .strictObject({ title, description, active: z.boolean() })
  .meta({ id: 'ItemReplace' });

export const itemPatch = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' })
  .meta({ id: 'ItemPatch' });

export const itemIdParams = z.object({ id: z.uuid() });

export const itemResponse = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    ownerId: z.uuid(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Item' });

export const itemListQuery = pageQuery.extend({
  ownerId: z.uuid().optional().meta({ description: 'Admins only; others always see their own items' }),
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Case-insensitive title search' }),
  fields: fieldsParam(itemResponse),
});

export const itemReadQuery = z.object({ fields: fieldsParam(itemResponse) });

export const itemPage = z
  .object({ items: z.array(itemResponse), nextCursor: z.string().nullable() })
  .meta({ id: 'ItemPage' });
