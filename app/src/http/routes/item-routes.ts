import {
  itemCreate,
  itemIdParams,
  itemListQuery,
  itemPage,
  itemPatch,
  itemReadQuery,
  itemReplace,
  itemResponse,
} from '../../modules/items/item-schemas.js';
import {
  createItem,
  deleteItem,
  getItem,
  type ItemDeps,
  listItems,
  updateItem,
} from '../../modules/items/item-service.js';
import { selectFields, selectPageFields } from '../../modules/shared/field-selection.js';
import { decodeCursor } from '../../modules/shared/pagination.js';
import { type ApiRoute, route } from '../api/api-route.js';
import { apiPrefix } from './paths.js';

export function itemRoutes(deps: ItemDeps): ApiRoute[] {
  const tag = 'items';
  const items = `${apiPrefix}/items`;
  const item = `${items}/{id}`;
  return [
    route({
      method: 'get',
      path: items,
      operationId: 'listItems',
      summary: "The caller's items (admins: everyone's), newest first, with a stable cursor",
      tag,
      access: 'user',
      query: itemListQuery,
      success: { status: 200, description: 'A page of items', schema: itemPage },
      // Trimmed here, at the edge: what the service (and the read cache under it) holds stays whole.
      handle: async ({ principal, query }) =>
        selectPageFields(
          await listItems(deps, principal, { ...query, after: decodeCursor(query.cursor) }),
          query.fields,
        ),
    }),
    route({
      method: 'post',
      path: items,
      operationId: 'createItem',
      summary: 'Create an item owned by the caller',
      tag,
      access: 'user',
      body: itemCreate,
      success: { status: 201, description: 'The new item', schema: itemResponse },
      handle: ({ principal, body }) => createItem(deps, principal, body),
    }),
    route({
      method: 'get',
      path: item,
      operationId: 'getItem',
      summary: 'One item (owner or admin)',
      tag,
      access: 'user',
      params: itemIdParams,
      query: itemReadQuery,
      success: { status: 200, description: 'The item', schema: itemResponse },
      errors: [404],
      handle: async ({ principal, params, query }) =>
        selectFields(await getItem(deps, principal, params.id), query.fields),
    }),
    route({
      method: 'put',
      path: item,
      operationId: 'replaceItem',
      summary: 'Replace every field of an item (owner or admin)',
      tag,
      access: 'user',
      params: itemIdParams,
      body: itemReplace,
      success: { status: 200, description: 'The item', schema: itemResponse },
      errors: [404],
      handle: ({ principal, params, body }) => updateItem(deps, principal, params.id, body),
    }),
    route({
      method: 'patch',
      path: item,
      operationId: 'updateItem',
      summary: 'Change some fields of an item (owner or admin)',
      tag,
      access: 'user',
      params: itemIdParams,
      body: itemPatch,
      success: { status: 200, description: 'The item', schema: itemResponse },
      errors: [404],
      handle: ({ principal, params, body }) => updateItem(deps, principal, params.id, body),
    }),
    route({
      method: 'delete',
      path: item,
      operationId: 'deleteItem',
      summary:
        'Delete an item (owner or admin); audited. Gone from every read at once, purged by retention later',
      tag,
      access: 'user',
      params: itemIdParams,
      success: { status: 204, description: 'Deleted' },
      errors: [404],
      handle: ({ principal, params, meta }) => deleteItem(deps, principal, params.id, meta),
    }),
  ];
}
