// Baseline: what the database path alone serves for POST /items. node:http and a pg pool of the service's size
// through the same PgBouncer, sending the statement the service's create sends (the item and its outbox event
// in one data-modifying CTE), the new row as JSON. No auth, no validation, no limits, no telemetry, and no
// outbox relay draining the events: the service's POST divided by this is its own cost. Its events are written
// already published (one more column, the same index): the service's relay shares this database and would
// otherwise drain tens of thousands of them into the scenarios measured next.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX) });
const createWithEvent = `
  WITH event AS (
    INSERT INTO outbox_events (type, aggregate_id, payload, published_at)
    VALUES ('ItemCreated', $1, $2::jsonb, CURRENT_TIMESTAMP)
  )
  INSERT INTO items (id, title, description, owner_id, active, updated_at)
  VALUES ($1::uuid, $3, $4, $5::uuid, true, CURRENT_TIMESTAMP)
  RETURNING id::text AS id, title, description, owner_id::text AS "ownerId", active,
            created_at AS "createdAt", updated_at AS "updatedAt"`;

createServer((request, response) => {
  const owner = new URL(request.url ?? '/', 'http://baseline').searchParams.get('owner');
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    body += chunk;
  });
  request.on('end', () => {
    const { title, description } = JSON.parse(body) as { title: string; description?: string };
    const id = randomUUID();
    const payload = JSON.stringify({ itemId: id, ownerId: owner, title });
    pool.query(createWithEvent, [id, payload, title, description ?? null, owner]).then(
      ({ rows }) => {
        response.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(rows[0]));
      },
      (error: Error) => {
        response.writeHead(500).end(error.message);
      },
    );
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
