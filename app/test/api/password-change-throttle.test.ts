import { describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp } from '../support/test-app.js';

describe('password change throttling', () => {
  it('guessing the current password spends the same budget as guessing it at login', async () => {
    const app = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_CLIENT: '5' });
    try {
      const user = await createUser(app);
      const me = as(app, (await login(app, user)).access_token);
      const change = (currentPassword: string) =>
        me('/api/v1/users/me/password', {
          method: 'POST',
          body: { currentPassword, newPassword: 'a brand new long passphrase' },
        });
      const statuses = (
        await Promise.all(Array.from({ length: 20 }, (_, i) => change(`guess number ${i}`)))
      ).map((response) => response.status);
      expect(statuses.filter((status) => status === 422).length, statuses.join(',')).toBeLessThanOrEqual(5);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(15);
      const locked = await change(user.password);
      await expectProblem(locked, 429, 'rate-limited');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
