import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallInit, fetchJson } from '../support/api.js';
import { startDeployedService, type Tokens } from './deployed-service.js';

/**
 * The service as deployed (secrets from Vault after a Kubernetes login, traces exported, logs at trace level)
 * goes through login, refresh, refresh-token reuse, a failed login and tokens in places they do not belong:
 * afterwards no secret may be found in what it logged, exported or served as metrics.
 */
describe('secrets stay out of logs, spans and metrics', () => {
  let deployed: Awaited<ReturnType<typeof startDeployedService>>;
  const secrets = new Map<string, string>();
  let logs = '';
  let spans = '';
  let metrics = '';

  beforeAll(async () => {
    deployed = await startDeployedService();
    const { service, fake, login, keys } = deployed;
    const call = (path: string, init: CallInit = {}) => fetchJson(`${service.url}${path}`, init);
    const tokens = async (response: Response) => {
      expect(response.status).toBe(200);
      return (await response.json()) as Tokens;
    };
    try {
      const email = `secret.${crypto.randomUUID().slice(0, 8)}@example.com`;
      const password = `pw-${crypto.randomUUID()}`;
      const wrongPassword = `wrong-${crypto.randomUUID()}`;
      expect(
        (await call('/api/v1/users', { method: 'POST', body: { email, password, fullName: 'S' } })).status,
      ).toBe(201);
      const first = await tokens(
        await call('/api/v1/auth/token', { method: 'POST', body: { email, password } }),
      );
      const second = await tokens(
        await call('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token: first.refresh_token } }),
      );
      const reuse = await call('/api/v1/auth/refresh', {
        method: 'POST',
        body: { refresh_token: first.refresh_token },
      });
      expect(reuse.status).toBe(401);
      const failed = await call('/api/v1/auth/token', {
        method: 'POST',
        body: { email, password: wrongPassword },
      });
      expect(failed.status).toBe(401);
      const third = await tokens(
        await call('/api/v1/auth/token', { method: 'POST', body: { email, password } }),
      );
      const cookie = `session=${crypto.randomUUID()}`;
      const me = await call('/api/v1/users/me', {
        headers: { authorization: `Bearer ${third.access_token}`, cookie },
      });
      expect(me.status).toBe(200);
      await call(`/api/v1/items?access_token=${third.access_token}`);
      metrics = await (await call('/metrics')).text();
      for (const [name, value] of Object.entries({
        password,
        wrongPassword,
        cookie,
        databasePassword: deployed.databasePassword,
        signingKey: keys.privateD,
        serviceAccountToken: login.jwt,
        ...Object.fromEntries(
          [first, second, third].flatMap((pair, i) => [
            [`access${i}`, pair.access_token],
            [`refresh${i}`, pair.refresh_token],
          ]),
        ),
        ...Object.fromEntries(fake.tokens.map((token, i) => [`vaultToken${i}`, token])),
      })) {
        secrets.set(name, value);
      }
    } finally {
      expect(await service.stop()).toBe(0);
      logs = service.output();
      spans = JSON.stringify(deployed.receiver.spans);
    }
  });
  afterAll(() => deployed?.close());

  it('had something to look at: request lines, spans of every call, the request counters', () => {
    expect(logs).toContain('"route":"/api/v1/auth/refresh"');
    expect(spans).toContain('POST /api/v1/auth/token');
    expect(metrics).toContain('route="/api/v1/auth/refresh",status_code="401"');
    expect(secrets.size).toBeGreaterThanOrEqual(13);
  });

  for (const [where, text] of [
    ['logs', () => logs],
    ['spans', () => spans],
    ['metrics', () => metrics],
  ] as const) {
    it(`no password, token, cookie, database credential, signing key or Vault token in the ${where}`, () => {
      const found = [...secrets].filter(([, value]) => text().includes(value)).map(([name]) => name);
      expect(found).toEqual([]);
    });
  }
});
