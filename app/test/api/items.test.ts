import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface ItemBody {
  id: string;
  title: string;
  ownerId: string;
  description: string | null;
  active: boolean;
}
interface ItemPage {
  items: ItemBody[];
  nextCursor: string | null;
}

describe('items', () => {
  let app: TestApp;
  let owner: ReturnType<typeof as>;
  let other: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let ownerId: string;
  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_MAX: '100000' });
    const ownerUser = await createUser(app);
    ownerId = ownerUser.id;
    owner = as(app, (await login(app, ownerUser)).access_token);
    other = as(app, (await login(app, await createUser(app))).access_token);
    admin = as(app, (await login(app, await createUser(app, { role: 'ADMIN' }))).access_token);
  });
  afterAll(() => app.close());

  const create = async (client: ReturnType<typeof as>, title: string) => {
    const response = await client('/api/v1/items', { method: 'POST', body: { title, description: 'd' } });
    expect(response.status).toBe(201);
    return (await response.json()) as ItemBody;
  };

  it('creates an item owned by the caller and reads it back', async () => {
    const item = await create(owner, 'first');
    expect(item).toMatchObject({ title: 'first', description: 'd', ownerId, active: true });
    expect(await (await owner(`/api/v1/items/${item.id}`)).json()).toEqual(item);
  });

  it("answers 404 for someone else's item on every operation, exactly as for a missing one", async () => {
    const item = await create(owner, 'private');
    const missing = crypto.randomUUID();
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { title: 'x', description: null, active: true }],
      ['PATCH', { title: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      const forbidden = await expectProblem(
        await other(`/api/v1/items/${item.id}`, { method, body }),
        404,
        'not-found',
      );
      const absent = await expectProblem(
        await other(`/api/v1/items/${missing}`, { method, body }),
        404,
        'not-found',
      );
      expect(forbidden.detail).toBe(absent.detail);
    }
    expect((await owner(`/api/v1/items/${item.id}`)).status).toBe(200);
  });

  it('lets the owner and an admin replace, patch and delete', async () => {
    const item = await create(owner, 'editable');
    const replaced = await owner(`/api/v1/items/${item.id}`, {
      method: 'PUT',
      body: { title: 'replaced', description: null, active: false },
    });
    expect(await replaced.json()).toMatchObject({ title: 'replaced', description: null, active: false });
    const patched = await admin(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      body: { title: 'patched by admin' },
    });
    expect(await patched.json()).toMatchObject({
      title: 'patched by admin',
      description: null,
      active: false,
    });
    expect((await admin(`/api/v1/items/${item.id}`, { method: 'DELETE' })).status).toBe(204);
    await expectProblem(await owner(`/api/v1/items/${item.id}`), 404, 'not-found');
    const audit = await app.deps.db.prisma.auditLog.findFirst({
      where: { action: 'item.deleted', target: item.id },
    });
    expect(audit).toMatchObject({ outcome: 'SUCCESS', metadata: { ownerId } });
  });

  it('keeps a deleted item as a marked row that no read, list or write can reach', async () => {
    const item = await create(owner, 'soft deleted');
    const path = `/api/v1/items/${item.id}`;
    expect((await owner(path)).status).toBe(200); // cached now: the delete must not leave it readable
    expect((await owner(path, { method: 'DELETE' })).status).toBe(204);

    for (const client of [owner, admin]) {
      await expectProblem(await client(path), 404, 'not-found');
      await expectProblem(await client(path, { method: 'PATCH', body: { title: 'x' } }), 404, 'not-found');
      await expectProblem(
        await client(path, { method: 'PUT', body: { title: 'x', description: null, active: true } }),
        404,
        'not-found',
      );
      await expectProblem(await client(path, { method: 'DELETE' }), 404, 'not-found');
      const listed = (await (await client(`/api/v1/items?ownerId=${ownerId}&limit=100`)).json()) as ItemPage;
      expect(listed.items.map((row) => row.id)).not.toContain(item.id);
    }
    const row = await app.deps.db.prisma.item.findUniqueOrThrow({ where: { id: item.id } });
    expect(row).toMatchObject({ title: 'soft deleted', deletedAt: expect.any(Date) });
  });

  it("lists only the caller's items; admins may filter by owner; titles are searchable", async () => {
    const mine = await create(other, 'Searchable Widget');
    const listed = (await (await other('/api/v1/items?q=widget')).json()) as ItemPage;
    expect(listed.items.map((item) => item.id)).toEqual([mine.id]);
    const spoofed = (await (await other(`/api/v1/items?ownerId=${ownerId}`)).json()) as ItemPage;
    expect(spoofed.items.every((item) => item.ownerId !== ownerId)).toBe(true);
    const byAdmin = (await (await admin(`/api/v1/items?ownerId=${ownerId}&limit=100`)).json()) as ItemPage;
    expect(byAdmin.items.length).toBeGreaterThan(0);
    expect(byAdmin.items.every((item) => item.ownerId === ownerId)).toBe(true);
  });

  it("searches titles for the term as written: LIKE's wildcards and escape character match only themselves", async () => {
    const user = as(app, (await login(app, await createUser(app))).access_token);
    const titles = ['100% cotton', '100 cotton', 'snake_case', 'snakeXcase', 'back\\slash', 'backslash'];
    const byTitle = new Map<string, string>();
    for (const title of titles) byTitle.set(title, (await create(user, title)).id);
    for (const [term, expected] of [
      ['0%', '100% cotton'],
      ['e_c', 'snake_case'],
      ['k\\s', 'back\\slash'],
    ] as const) {
      const page = (await (await user(`/api/v1/items?q=${encodeURIComponent(term)}`)).json()) as ItemPage;
      expect(
        page.items.map((item) => item.id),
        term,
      ).toEqual([byTitle.get(expected)]);
    }
  });

  it('pages with a stable cursor while rows are being inserted', async () => {
    const user = as(app, (await login(app, await createUser(app))).access_token);
    const created: string[] = [];
    for (let i = 0; i < 7; i += 1) created.push((await create(user, `page ${i}`)).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const page = (await (await user(`/api/v1/items${query}`)).json()) as ItemPage;
      seen.push(...page.items.map((item) => item.id));
      await create(user, `inserted while paging ${seen.length}`); // newer rows land before the cursor
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen).toEqual([...created].reverse());
  });

  it('answers 422 with a field error for each kind of bad input', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/items', {}, 'title'],
      ['POST', '/api/v1/items', { title: 42 }, 'title'],
      ['POST', '/api/v1/items', { title: '   ' }, 'title'],
      ['POST', '/api/v1/items', { title: 'x'.repeat(201) }, 'title'],
      ['POST', '/api/v1/items', { title: 'ok', owner: 'me' }, ''],
      ['GET', '/api/v1/items/not-a-uuid', undefined, 'id'],
      ['GET', '/api/v1/items?limit=1000', undefined, 'limit'],
      ['GET', '/api/v1/items?cursor=garbage', undefined, 'cursor'],
      ['PATCH', `/api/v1/items/${crypto.randomUUID()}`, {}, ''],
    ];
    for (const [method, path, body, field] of cases) {
      const problem = await expectProblem(await owner(path, { method, body }), 422, 'validation-failed');
      expect(problem.errors, `${method} ${path} ${JSON.stringify(body)}`).toContainEqual(
        expect.objectContaining({ field }),
      );
    }
  });

  it('concurrent deletes and patches of one item answer 404, never 500', async () => {
    const statuses = new Set<number>();
    for (let round = 0; round < 10; round += 1) {
      const item = await create(owner, `raced ${round}`);
      const path = `/api/v1/items/${item.id}`;
      const responses = await Promise.all([
        owner(path, { method: 'DELETE' }),
        owner(path, { method: 'DELETE' }),
        owner(path, { method: 'PATCH', body: { title: 'late' } }),
        owner(path, { method: 'PUT', body: { title: 'late', description: null, active: true } }),
      ]);
      for (const response of responses) {
        statuses.add(response.status);
        if (response.status >= 400)
          expect(response.headers.get('content-type')).toBe('application/problem+json');
      }
    }
    expect([...statuses].filter((status) => ![200, 204, 404].includes(status))).toEqual([]);
  });

  it('answers 422 for well-formed cursors carrying impossible values, never 500', async () => {
    const cursor = (createdAt: unknown) =>
      Buffer.from(JSON.stringify([createdAt, crypto.randomUUID()])).toString('base64url');
    const impossible = [
      '0000-01-01T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
      '-271821-04-20T00:00:00.000Z',
      '+275760-09-13T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
    ];
    for (const createdAt of impossible) {
      const items = await owner(`/api/v1/items?cursor=${cursor(createdAt)}`);
      expect(items.status, createdAt).toBe(422);
      const users = await admin(`/api/v1/users?cursor=${cursor(createdAt)}`);
      expect(users.status, createdAt).toBe(422);
    }
    expect((await owner(`/api/v1/items?cursor=${cursor('0001-01-01T00:00:00.000Z')}`)).status).toBe(200);
  });

  it('requires a caller', async () => {
    await expectProblem(await app.fetch('/api/v1/items'), 401, 'unauthorized');
  });
});
