import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/app.js';
import { as, createUser, login } from '../support/api.js';
import { inDays } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Derived from the served route list, so a new admin route is covered without touching this test.
describe('admin-only routes', () => {
  let app: TestApp;
  let userToken: string;
  let adminToken: string;
  let targetId: string;
  beforeAll(async () => {
    app = await startTestApp();
    userToken = (await login(app, await createUser(app))).access_token;
    adminToken = (await login(app, await createUser(app, { role: 'ADMIN' }))).access_token;
    targetId = (await createUser(app)).id;
  });
  afterAll(() => app.close());

  const adminRoutes = () =>
    apiRoutes(app.cfg, { ...app.deps, isAcceptingTraffic: () => true }).filter(
      (route) => route.access === 'admin',
    );
  const pathOf = (template: string) => template.replace('{id}', targetId).replace('{userId}', targetId);
  const bodies: Record<string, unknown> = {
    patch: { role: 'ADMIN' },
    post: { name: 'issued by an admin', scopes: ['items:read'], expiresAt: inDays(1) },
  };
  const bodyFor = (method: string) => bodies[method];

  it('there are admin routes to check', () => {
    expect(
      adminRoutes()
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    ).toEqual([
      'delete /api/v1/users/{id}',
      'get /api/v1/audit',
      'get /api/v1/users',
      'get /api/v1/users/{id}',
      'get /api/v1/users/{userId}/api-keys',
      'patch /api/v1/users/{id}',
      'post /api/v1/users/{userId}/api-keys',
    ]);
  });

  it('refuses anonymous callers with 401 and users with 403 on every admin route', async () => {
    for (const route of adminRoutes()) {
      const anonymous = await app.fetch(pathOf(route.path), { method: route.method.toUpperCase() });
      await expectProblem(anonymous, 401, 'unauthorized');
      const user = await as(app, userToken)(pathOf(route.path), {
        method: route.method.toUpperCase(),
        body: bodyFor(route.method),
      });
      await expectProblem(user, 403, 'forbidden');
    }
  });

  it('serves admins on every admin route', async () => {
    // Deactivating the target last: issuing it a key afterwards would rightly be refused (409).
    const deleteLast = (route: { method: string }) => Number(route.method === 'delete');
    for (const route of adminRoutes().sort((a, b) => deleteLast(a) - deleteLast(b))) {
      const response = await as(app, adminToken)(pathOf(route.path), {
        method: route.method.toUpperCase(),
        body: bodyFor(route.method),
      });
      expect([200, 201, 204], `${route.method} ${route.path}`).toContain(response.status);
    }
  });
});
