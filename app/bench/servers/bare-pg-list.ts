// Baseline: what the database path alone serves for the list of 20. node:http and a pg pool of the service's
// size through the same PgBouncer, sending the statement the service's list sends (unnamed, as adapter-pg
// does), rows as JSON. No auth, no limits, no telemetry: the service's list divided by this is its own cost.
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX) });
const newestTwentyOne = `
  SELECT id::text AS id, title, description, owner_id::text AS "ownerId", active,
         created_at AS "createdAt", updated_at AS "updatedAt"
  FROM items
  WHERE deleted_at IS NULL AND owner_id = $1::uuid
  ORDER BY items.created_at DESC, items.id DESC
  LIMIT 21`;

createServer((request, response) => {
  const owner = new URL(request.url ?? '/', 'http://baseline').searchParams.get('owner');
  pool.query(newestTwentyOne, [owner]).then(
    ({ rows }) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(
        JSON.stringify({ items: rows.slice(0, 20), nextCursor: rows.length > 20 ? 'more' : null }),
      );
    },
    (error: Error) => {
      response.writeHead(500).end(error.message);
    },
  );
}).listen(Number(process.env.PORT), '127.0.0.1');
