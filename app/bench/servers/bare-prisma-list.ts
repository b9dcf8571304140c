// Baseline: the list of 20 through the service's own data layer and nothing else. node:http, the service's
// Prisma client on the same pg adapter and pool size (openPostgres), and its item repository's list, as JSON.
// Beside the database-alone baseline it splits the service's list cost into the ORM's share and the HTTP
// layers' share (auth, limits, telemetry, logging).
import { createServer } from 'node:http';
import { noCache } from '../../src/adapters/cache/read-through-cache.js';
import { openPostgres } from '../../src/adapters/db/postgres.js';
import { itemRepository } from '../../src/modules/items/item-repository.js';

const database = openPostgres({
  kind: 'postgres',
  url: process.env.DATABASE_URL ?? '',
  directUrl: process.env.DATABASE_URL ?? '',
  poolMax: Number(process.env.POOL_MAX),
  connectTimeoutMs: 5_000,
});
// The list reads no cache and writes nothing: it needs neither.
const items = itemRepository(database.prisma, noCache, (invalidation) => invalidation());

createServer((request, response) => {
  const ownerId = new URL(request.url ?? '/', 'http://baseline').searchParams.get('owner') ?? undefined;
  items.list({ limit: 20, ownerId }).then(
    (page) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(page));
    },
    (error: Error) => {
      response.writeHead(500).end(error.message);
    },
  );
}).listen(Number(process.env.PORT), '127.0.0.1');
