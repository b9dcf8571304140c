import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const itemKeys = ['active', 'createdAt', 'description', 'id', 'ownerId', 'title', 'updatedAt'];
const userKeys = ['active', 'createdAt', 'email', 'fullName', 'id', 'role', 'updatedAt', 'verified'];

type Body = Record<string, unknown>;
interface Page {
  items: Body[];
  nextCursor: string | null;
}

interface Parameter {
  in: string;
  name: string;
  schema: { type: string; pattern: string; description: string };
}

describe('field selection (?fields=)', () => {
  let app: TestApp;
  let owner: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let itemId: string;
  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_MAX: '100000', DOCS_ENABLED: 'true' });
    owner = as(app, (await login(app, await createUser(app))).access_token);
    admin = as(app, (await login(app, await createUser(app, { role: 'ADMIN' }))).access_token);
    for (const title of ['one', 'two', 'three']) {
      const created = await owner('/api/v1/items', { method: 'POST', body: { title, description: 'd' } });
      expect(created.status).toBe(201);
      itemId = ((await created.json()) as Body).id as string;
    }
  });
  afterAll(() => app.close());

  const read = async (client: ReturnType<typeof as>, path: string) => {
    const response = await client(path);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Body;
  };
  const keys = (body: Body) => Object.keys(body).sort();

  it('trims one item to the selected fields, id always among them', async () => {
    const full = await read(owner, `/api/v1/items/${itemId}`);
    const trimmed = await read(owner, `/api/v1/items/${itemId}?fields=title,active`);
    expect(trimmed).toEqual({ id: itemId, title: full.title, active: full.active });
  });

  it('trims the items of a list page and keeps its envelope (the cursor still leads on)', async () => {
    const first = (await read(owner, '/api/v1/items?limit=2&fields=title')) as unknown as Page;
    expect(keys(first as unknown as Body)).toEqual(['items', 'nextCursor']);
    expect(first.items).toHaveLength(2);
    for (const item of first.items) expect(keys(item)).toEqual(['id', 'title']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const next = (await read(
      owner,
      `/api/v1/items?limit=2&fields=title&cursor=${first.nextCursor}`,
    )) as unknown as Page;
    expect(next.items.map(keys)).toEqual([['id', 'title']]);
    expect(next.nextCursor).toBeNull();
  });

  it('trims the caller, one user and the user list', async () => {
    const me = await read(owner, '/api/v1/users/me?fields=email');
    expect(keys(me)).toEqual(['email', 'id']);
    expect(keys(await read(admin, `/api/v1/users/${me.id}?fields=role,fullName`))).toEqual([
      'fullName',
      'id',
      'role',
    ]);
    const users = (await read(admin, '/api/v1/users?fields=verified')) as unknown as Page;
    expect(users.items.length).toBeGreaterThan(0);
    for (const user of users.items) expect(keys(user)).toEqual(['id', 'verified']);
    expect(users).toHaveProperty('nextCursor');
  });

  it('answers every field without the parameter, and takes repeated fields once', async () => {
    expect(keys(await read(owner, `/api/v1/items/${itemId}`))).toEqual(itemKeys);
    expect(keys(await read(owner, '/api/v1/users/me'))).toEqual(userKeys);
    expect(await read(owner, `/api/v1/items/${itemId}?fields=title,title,id,title`)).toEqual({
      id: itemId,
      title: 'three',
    });
  });

  it('refuses unknown and empty fields with a validation problem naming them', async () => {
    for (const [path, bad] of [
      [`/api/v1/items/${itemId}?fields=title,secret,passwordHash`, ['"secret"', '"passwordHash"']],
      ['/api/v1/items?fields=title,,active', ['""']],
      ['/api/v1/items?fields=', ['""']],
      ['/api/v1/users/me?fields=passwordHash', ['"passwordHash"']],
    ] as const) {
      const problem = await expectProblem(await owner(path), 422, 'validation-failed');
      const errors = problem.errors as { field: string; message: string }[];
      expect(
        errors.map((error) => error.field),
        path,
      ).toEqual(['fields']);
      for (const name of bad) expect(errors[0]!.message, path).toContain(name);
    }
  });

  it('never lets a trimmed read into the read cache: a whole read afterwards is whole', async () => {
    // A change empties the cache entry, so the trimmed read below is the one that fills it.
    const changed = await owner(`/api/v1/items/${itemId}`, { method: 'PATCH', body: { title: 'renamed' } });
    expect(changed.status).toBe(200);
    expect(keys(await read(owner, `/api/v1/items/${itemId}?fields=title`))).toEqual(['id', 'title']);
    // The entry that read left in Redis is the whole item: trimming happened after the cache, at the route.
    const cached = await app.deps.redis!.get(`${app.cfg.redisKeyPrefix}:cache:item:${itemId}`);
    expect(keys(JSON.parse(cached ?? '{}') as Body)).toEqual(itemKeys);
    const whole = await read(owner, `/api/v1/items/${itemId}`);
    expect(keys(whole)).toEqual(itemKeys);
    expect(whole.title).toBe('renamed');
    expect(keys(await read(owner, '/api/v1/users/me?fields=role'))).toEqual(['id', 'role']);
    expect(keys(await read(owner, '/api/v1/users/me'))).toEqual(userKeys);
  });

  it('documents the parameter with its allowed values on each read operation', async () => {
    const document = (await (await app.fetch('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
    };
    for (const [path, allowed] of [
      ['/api/v1/items', itemKeys],
      ['/api/v1/items/{id}', itemKeys],
      ['/api/v1/users/me', userKeys],
      ['/api/v1/users', userKeys],
      ['/api/v1/users/{id}', userKeys],
    ] as const) {
      const fields = document.paths[path]?.get?.parameters?.find(
        (p) => p.in === 'query' && p.name === 'fields',
      );
      expect(fields, path).toBeDefined();
      const pattern = new RegExp(fields!.schema.pattern);
      expect(pattern.test(allowed.join(',')), path).toBe(true);
      expect(pattern.test(`${allowed[0]},nope`), path).toBe(false);
      for (const name of allowed) expect(fields!.schema.description, path).toContain(name);
    }
  });
});
