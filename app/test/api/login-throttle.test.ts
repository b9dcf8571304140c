import { describe, expect, it } from 'vitest';
import { createUser, json } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp } from '../support/test-app.js';

describe('login throttling', () => {
  const attempt = (
    app: Awaited<ReturnType<typeof startTestApp>>,
    email: string,
    password: string,
    ip: string,
  ) =>
    app.fetch('/api/v1/auth/token', {
      method: 'POST',
      ...json({ email, password }, { 'x-forwarded-for': ip }),
    });

  it('stops one client guessing one account, even with the right password, with Retry-After', async () => {
    const app = await startTestApp({
      TRUSTED_PROXIES: '127.0.0.1',
      LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_CLIENT: '3',
    });
    try {
      const user = await createUser(app);
      for (let i = 0; i < 3; i += 1) {
        expect((await attempt(app, user.email, 'wrong password', '198.51.100.9')).status).toBe(401);
      }
      const locked = await attempt(app, user.email, user.password, '198.51.100.9');
      await expectProblem(locked, 429, 'rate-limited');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      const other = await createUser(app);
      expect((await attempt(app, other.email, other.password, '198.51.100.9')).status).toBe(200);
      expect(
        await app.deps.db.prisma.auditLog.count({ where: { actorId: user.id, outcome: 'FAILURE' } }),
      ).toBe(3);
    } finally {
      await app.close();
    }
  });

  it('stops an address that fails across many accounts, and only that address', async () => {
    const app = await startTestApp({ TRUSTED_PROXIES: '127.0.0.1', LOGIN_MAX_FAILURES_PER_CLIENT: '4' });
    try {
      for (let i = 0; i < 4; i += 1) {
        expect((await attempt(app, `nobody${i}@example.com`, 'wrong password', '203.0.113.7')).status).toBe(
          401,
        );
      }
      const user = await createUser(app);
      await expectProblem(await attempt(app, user.email, user.password, '203.0.113.7'), 429, 'rate-limited');
      expect((await attempt(app, user.email, user.password, '203.0.113.8')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('parallel guesses from one address are counted before any is checked: at most the budget is evaluated', async () => {
    const app = await startTestApp({
      TRUSTED_PROXIES: '127.0.0.1',
      LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_CLIENT: '5',
    });
    try {
      const user = await createUser(app);
      // 29 wrong guesses and the right one, all in flight at once from one client.
      const guesses = [...Array.from({ length: 29 }, (_, i) => `wrong guess ${i}`), user.password];
      const responses = await Promise.all(
        guesses.map((password) => attempt(app, user.email, password, '198.51.100.40')),
      );
      const statuses = responses.map((response) => response.status);
      const evaluated = statuses.filter((status) => status !== 429);
      expect(evaluated.length, statuses.join(',')).toBeLessThanOrEqual(5);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(25);
      expect(
        await app.deps.db.prisma.auditLog.count({ where: { actorId: user.id, outcome: 'FAILURE' } }),
      ).toBeLessThanOrEqual(5);
    } finally {
      await app.close();
    }
  });

  it("a stranger's wrong guesses do not lock the owner out", async () => {
    const app = await startTestApp({ TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const victim = await createUser(app);
      for (let i = 0; i < 5; i += 1) {
        expect((await attempt(app, victim.email, 'wrong password', '203.0.113.66')).status).toBe(401);
      }
      await expectProblem(await attempt(app, victim.email, 'wrong', '203.0.113.66'), 429, 'rate-limited');
      expect((await attempt(app, victim.email, victim.password, '198.51.100.7')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("the per-account ceiling slows strangers without locking the owner's known client out", async () => {
    const app = await startTestApp({
      TRUSTED_PROXIES: '127.0.0.1',
      LOGIN_ACCOUNT_CEILING: '3',
      // 3 failures per 6 s: beyond them, strangers share one attempt every 2 s for this account.
      LOGIN_ACCOUNT_CEILING_WINDOW_SECONDS: '6',
    });
    try {
      const victim = await createUser(app);
      const owner = '198.51.100.7';
      expect((await attempt(app, victim.email, victim.password, owner)).status).toBe(200);
      // A distributed guesser: every attempt from another address.
      for (let i = 1; i <= 3; i += 1) {
        expect((await attempt(app, victim.email, 'wrong password', `203.0.113.${i}`)).status).toBe(401);
      }
      expect((await attempt(app, victim.email, 'wrong password', '203.0.113.4')).status).toBe(401);
      const slowed = await attempt(app, victim.email, 'wrong password', '203.0.113.5');
      await expectProblem(slowed, 429, 'rate-limited');
      expect(Number(slowed.headers.get('retry-after'))).toBeLessThanOrEqual(2);
      expect((await attempt(app, victim.email, victim.password, owner)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      // Slowed, not locked: the next stranger attempt is checked again.
      expect((await attempt(app, victim.email, 'wrong password', '203.0.113.6')).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('one client hammering past its own budget does not slow the account for others', async () => {
    const app = await startTestApp({ TRUSTED_PROXIES: '127.0.0.1', LOGIN_ACCOUNT_CEILING: '10' });
    try {
      const victim = await createUser(app);
      const statuses = (
        await Promise.all(
          Array.from({ length: 40 }, () => attempt(app, victim.email, 'wrong password', '203.0.113.77')),
        )
      ).map((response) => response.status);
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
      // Only its five checked attempts count toward the ceiling of 10: others are not in the slow lane.
      expect((await attempt(app, victim.email, 'a typo', '198.51.100.8')).status).toBe(401);
      expect((await attempt(app, victim.email, victim.password, '198.51.100.9')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('a successful login clears the account counter', async () => {
    const app = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_CLIENT: '2' });
    try {
      const user = await createUser(app);
      expect((await attempt(app, user.email, 'wrong password', '127.0.0.1')).status).toBe(401);
      expect((await attempt(app, user.email, user.password, '127.0.0.1')).status).toBe(200);
      expect((await attempt(app, user.email, 'wrong password', '127.0.0.1')).status).toBe(401);
      expect((await attempt(app, user.email, user.password, '127.0.0.1')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
