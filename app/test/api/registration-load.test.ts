import { describe, expect, it } from 'vitest';
import { createUser, json } from '../support/api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const register = (app: TestApp, email: string, ip = '198.51.100.20') =>
  app.fetch('/api/v1/users', {
    method: 'POST',
    ...json({ email, password: 'a long enough passphrase', fullName: 'Load' }, { 'x-forwarded-for': ip }),
  });

describe('registration under load', () => {
  it('refuses registrations past the per-client budget before any password work', async () => {
    const app = await startTestApp({
      TRUSTED_PROXIES: '127.0.0.1',
      REGISTRATION_MAX_PER_CLIENT: '3',
      // Exact counting is the subject here; a Redis command timing out on a loaded machine would hand the
      // count to the per-process fallback (the documented outage behaviour, tested in resilience/).
      REDIS_COMMAND_TIMEOUT_MS: '3000',
    });
    try {
      const statuses = (
        await Promise.all(
          Array.from({ length: 12 }, (_, i) => register(app, `probe${i}.${crypto.randomUUID()}@example.com`)),
        )
      ).map((response) => response.status);
      expect(statuses.filter((status) => status === 201).length, statuses.join(',')).toBeLessThanOrEqual(3);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(9);
      // Another client has its own budget.
      expect((await register(app, `other.${crypto.randomUUID()}@example.com`, '198.51.100.21')).status).toBe(
        201,
      );
    } finally {
      await app.close();
    }
  });

  it('a flood of registrations (duplicates included) slows an existing user login no more than a flood of 404s', {
    timeout: 120_000,
  }, async () => {
    const app = await startTestApp({ TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const user = await createUser(app);
      const loginDuring = async (flood: (i: number) => Promise<Response>) => {
        const all = Promise.all(Array.from({ length: 240 }, (_, i) => flood(i)));
        await new Promise((resolve) => setTimeout(resolve, 100));
        const started = performance.now();
        const response = await app.fetch('/api/v1/auth/token', {
          method: 'POST',
          ...json({ email: user.email, password: user.password }, { 'x-forwarded-for': '198.51.100.99' }),
        });
        const ms = performance.now() - started;
        expect(response.status).toBe(200);
        return { ms, statuses: new Set((await all).map((each) => each.status)) };
      };
      // The floor: this machine, this in-process client, 240 requests that do nothing.
      const floor = await loginDuring(() => app.fetch('/api/v1/nothing'));
      const emails = Array.from({ length: 60 }, (_, i) => `flood${i}.${crypto.randomUUID()}@example.com`);
      const flood = await loginDuring((i) =>
        register(app, emails[i % emails.length]!, `203.0.113.${i % 250}`),
      );
      expect([...flood.statuses].filter((status) => ![201, 409, 503].includes(status))).toEqual([]);
      expect(flood.ms, `floor ${Math.round(floor.ms)} ms`).toBeLessThan(floor.ms * 1.5 + 2000);
    } finally {
      await app.close();
    }
  });
});
