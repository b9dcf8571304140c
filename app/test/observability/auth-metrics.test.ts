import { describe, expect, it } from 'vitest';
import { bearer, createUser, json, login, refresh } from '../support/api.js';
import { startTestApp } from '../support/test-app.js';
import { sampleValue, scrape } from './scrape.js';

describe('authentication events in metrics', () => {
  it('counts logins, refreshes, refresh-token reuse and logouts by outcome', async () => {
    const app = await startTestApp({ RATE_LIMIT_MAX: '100000' });
    try {
      const user = await createUser(app);
      const failed = await app.fetch('/api/v1/auth/token', {
        method: 'POST',
        ...json({ email: user.email, password: 'not the password' }),
      });
      expect(failed.status).toBe(401);
      const first = await login(app, user);
      const rotated = await refresh(app, first.refresh_token);
      expect(rotated.status).toBe(200);
      expect((await refresh(app, first.refresh_token)).status).toBe(401); // reuse: the family is revoked
      expect((await refresh(app, 'never-issued-token-value')).status).toBe(401);
      const second = await login(app, user);
      const logout = await app.fetch('/api/v1/auth/logout', {
        method: 'POST',
        headers: bearer(second.access_token),
      });
      expect(logout.status).toBe(204);

      const metrics = await scrape(app.url);
      const count = (event: string, outcome: string) =>
        sampleValue(metrics, 'auth_events_total', { event, outcome });
      expect({
        loginSucceeded: count('login', 'succeeded'),
        loginFailed: count('login', 'failed'),
        refreshSucceeded: count('refresh', 'succeeded'),
        refreshReused: count('refresh', 'reused'),
        refreshFailed: count('refresh', 'failed'),
        logoutSucceeded: count('logout', 'succeeded'),
      }).toEqual({
        loginSucceeded: 2,
        loginFailed: 1,
        refreshSucceeded: 1,
        refreshReused: 1,
        refreshFailed: 1,
        logoutSucceeded: 1,
      });
    } finally {
      await app.close();
    }
  });
});
