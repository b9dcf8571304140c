import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the last admin', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const activeAdmins = () => app.deps.db.prisma.user.count({ where: { role: 'ADMIN', active: true } });

  /** Two admins and no other: each tries to remove the other at the same moment. */
  async function duel(remove: (caller: ReturnType<typeof as>, targetId: string) => Promise<Response>) {
    const [a, b] = await Promise.all([
      createUser(app, { role: 'ADMIN' }),
      createUser(app, { role: 'ADMIN' }),
    ]);
    await app.deps.db.prisma.user.updateMany({
      where: { role: 'ADMIN', id: { notIn: [a.id, b.id] } },
      data: { role: 'USER' },
    });
    const [asA, asB] = await Promise.all([login(app, a), login(app, b)]);
    const responses = await Promise.all([
      remove(as(app, asA.access_token), b.id),
      remove(as(app, asB.access_token), a.id),
    ]);
    return responses.map((response) => response.status).sort();
  }

  it('two admins demoting each other at once leave one admin, and the other request gets 409', async () => {
    for (let round = 0; round < 6; round += 1) {
      const statuses = await duel((caller, id) =>
        caller(`/api/v1/users/${id}`, { method: 'PATCH', body: { role: 'USER' } }),
      );
      expect(await activeAdmins(), `round ${round}: ${statuses}`).toBe(1);
      expect(statuses).toContain(409);
    }
  });

  it('two admins deactivating each other at once leave one admin, and the other request gets 409', async () => {
    for (let round = 0; round < 6; round += 1) {
      const statuses = await duel((caller, id) => caller(`/api/v1/users/${id}`, { method: 'DELETE' }));
      expect(await activeAdmins(), `round ${round}: ${statuses}`).toBe(1);
      expect(statuses).toContain(409);
    }
  });
});
