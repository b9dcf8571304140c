import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, json, login, refresh } from '../support/api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// RFC 6749 section 5.1: responses carrying tokens or credentials must not be stored by any cache.
describe('responses with tokens or new accounts are never stored', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('token, refresh and registration answers carry Cache-Control: no-store', async () => {
    const user = await createUser(app);
    const tokenResponse = await app.fetch('/api/v1/auth/token', {
      method: 'POST',
      ...json({ email: user.email, password: user.password }),
    });
    expect(tokenResponse.status).toBe(200);
    expect(tokenResponse.headers.get('cache-control')).toBe('no-store');
    const tokens = await login(app, user);
    const refreshed = await refresh(app, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    const registered = await app.fetch('/api/v1/users', {
      method: 'POST',
      ...json({
        email: `new.${crypto.randomUUID()}@example.com`,
        password: 'a long enough passphrase',
        fullName: 'N',
      }),
    });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('cache-control')).toBe('no-store');
  });
});
