import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/app.js';
import { as, createUser, login } from '../support/api.js';
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
  const pathOf = (template: string) => template.replace('{id}', targetId);
  const bodyFor = (method: string) => (method === 'patch' ? { role: 'ADMIN' } : undefined);

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
      'patch /api/v1/users/{id}',
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
    for (const route of adminRoutes()) {
      const response = await as(app, adminToken)(pathOf(route.path), {
        method: route.method.toUpperCase(),
        body: bodyFor(route.method),
      });
      expect([200, 204], `${route.method} ${route.path}`).toContain(response.status);
    }
  });
});
