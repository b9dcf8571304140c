import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallInit, fetchJson } from '../support/api.js';
import { startDeployedService, type Tokens } from './deployed-service.js';

/**
 * The service in HIPAA mode as deployed (secrets and transit from Vault, traces exported with every route and
 * Redis command, logs at trace level, every statement logged as slow, no Sentry) goes through every route with
 * a user whose name and email appear nowhere else, including the mistakes clients make with them (in a path,
 * a query string, a malformed body, an unknown key). Afterwards neither may be found in any log line or span,
 * nor in any problem response.
 */
describe('HIPAA mode: no personal data in logs, spans or problem details', () => {
  let deployed: Awaited<ReturnType<typeof startDeployedService>>;
  const tag = crypto.randomUUID().slice(0, 8);
  const phi = {
    email: `zelda.quince.${tag}@clinic.example`,
    fullName: `Zelda Quincewhistle ${tag}`,
    newFullName: `Zelda Marrowby ${tag}`,
  };
  const password = `pw-${crypto.randomUUID()}`;
  const seen = new Set<string>();
  let logs = '';
  let spans = '';
  const problems: string[] = [];

  beforeAll(async () => {
    deployed = await startDeployedService({
      VAULT_REQUEST_TIMEOUT_MS: '5000',
      HIPAA_MODE: 'true',
      REFRESH_TOKEN_TTL_SECONDS: '43200',
      SESSION_IDLE_TIMEOUT_SECONDS: '1800',
      AUDIT_RETENTION_DAYS: '2192',
      TRACES_DETAIL: 'full',
      TRACES_SAMPLE_RATIO: '1',
      DB_SLOW_QUERY_MS: '1',
    });
    const { service, database } = deployed;
    const call = async (path: string, init: CallInit = {}) => {
      const response = await fetchJson(`${service.url}${path}`, init);
      seen.add(`${init.method ?? 'GET'} ${response.status}`);
      if (response.headers.get('content-type') === 'application/problem+json') {
        problems.push(await response.clone().text());
      }
      return response;
    };
    const raw = (path: string, init: RequestInit) => fetch(`${service.url}${path}`, init);
    const tokens = async (response: Response) => {
      expect(response.status).toBe(200);
      return (await response.json()) as Tokens;
    };
    try {
      const registered = await call('/api/v1/users', {
        method: 'POST',
        body: { email: phi.email, password, fullName: phi.fullName },
      });
      expect(registered.status).toBe(201);
      const { id } = (await registered.json()) as { id: string };
      // Mistakes with the personal values in them: a duplicate, an unknown key, a malformed address, a bad body.
      expect(
        (await call('/api/v1/users', { method: 'POST', body: { email: phi.email, password, fullName: 'x' } }))
          .status,
      ).toBe(409);
      expect(
        (
          await call('/api/v1/users', {
            method: 'POST',
            body: { email: phi.email, password, fullName: phi.fullName, [phi.email]: phi.fullName },
          })
        ).status,
      ).toBe(422);
      expect(
        (
          await call('/api/v1/users', {
            method: 'POST',
            body: { email: `${phi.fullName} <${phi.email}>`, password, fullName: phi.fullName.repeat(20) },
          })
        ).status,
      ).toBe(422);
      const malformed = await raw('/api/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"email": "${phi.email}", "fullName": "${phi.fullName}",,}`,
      });
      problems.push(await malformed.text());
      expect(malformed.status).toBe(400);

      const failed = await call('/api/v1/auth/token', {
        method: 'POST',
        body: { email: phi.email, password: 'not the password at all' },
      });
      expect(failed.status).toBe(401);
      const form = await raw('/api/v1/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: phi.email, password }).toString(),
      });
      expect(form.status).toBe(200);
      const first = await tokens(
        await call('/api/v1/auth/token', { method: 'POST', body: { email: phi.email, password } }),
      );
      const user = await tokens(
        await call('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token: first.refresh_token } }),
      );
      const as =
        (token: string) =>
        (path: string, init: CallInit = {}) =>
          call(path, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
      const me = as(user.access_token);
      expect((await me('/api/v1/users/me')).status).toBe(200);
      expect((await me('/api/v1/users/me?fields=email,fullName')).status).toBe(200);
      expect((await me(`/api/v1/users/me?fields=${encodeURIComponent(phi.email)}`)).status).toBe(422);
      expect(
        (await me('/api/v1/users/me', { method: 'PATCH', body: { fullName: phi.newFullName } })).status,
      ).toBe(200);
      expect(
        (
          await me('/api/v1/users/me', {
            method: 'PATCH',
            body: { fullName: phi.newFullName, email: phi.email },
          })
        ).status,
      ).toBe(422);
      expect((await me(`/api/v1/users/${encodeURIComponent(phi.email)}`)).status).toBe(403);
      expect((await me(`/api/v1/items?q=${encodeURIComponent(phi.fullName)}`)).status).toBe(200);
      expect((await me(`/api/v1/${encodeURIComponent(phi.email)}`)).status).toBe(404);
      const item = await me('/api/v1/items', { method: 'POST', body: { title: 'a visit' } });
      expect(item.status).toBe(201);
      expect((await me('/api/v1/auth/sessions')).status).toBe(200);
      // An API key reads the user too: the same route, another credential.
      const created = await me('/api/v1/api-keys', {
        method: 'POST',
        body: {
          name: 'reader',
          scopes: ['users:read'],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });
      expect(created.status).toBe(201);
      const { key } = (await created.json()) as { key: string };
      expect((await me('/api/v1/api-keys')).status).toBe(200);
      expect((await call('/api/v1/users/me', { headers: { 'x-api-key': key } })).status).toBe(200);

      expect(
        (
          await me('/api/v1/users/me/password', {
            method: 'POST',
            body: { currentPassword: phi.email, newPassword: `${phi.fullName} ${phi.email}` },
          })
        ).status,
      ).toBe(422);
      // An admin reads the user, lists users, changes the role, reads the audit trail.
      const adminPassword = `pw-${crypto.randomUUID()}`;
      const adminEmail = `admin.${tag}@example.com`;
      expect(
        (
          await call('/api/v1/users', {
            method: 'POST',
            body: { email: adminEmail, password: adminPassword, fullName: 'Admin' },
          })
        ).status,
      ).toBe(201);
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      await db.query(`UPDATE users SET role = 'ADMIN' WHERE email = $1`, [adminEmail]);
      await db.end();
      const admin = as(
        (
          await tokens(
            await call('/api/v1/auth/token', {
              method: 'POST',
              body: { email: adminEmail, password: adminPassword },
            }),
          )
        ).access_token,
      );
      expect((await admin(`/api/v1/users/${id}`)).status).toBe(200);
      expect((await admin(`/api/v1/users/${encodeURIComponent(phi.email)}`)).status).toBe(422);
      expect((await admin('/api/v1/users?limit=100')).status).toBe(200);
      expect((await admin(`/api/v1/users?email=${encodeURIComponent(phi.email)}`)).status).toBe(200);
      expect((await admin(`/api/v1/users/${id}`, { method: 'PATCH', body: { role: 'ADMIN' } })).status).toBe(
        200,
      );
      expect((await admin('/api/v1/audit?action=phi.read')).status).toBe(200);

      // The role change ended the user's sessions.
      expect((await me('/api/v1/users/me')).status).toBe(401);
      const again = as(
        (
          await tokens(
            await call('/api/v1/auth/token', { method: 'POST', body: { email: phi.email, password } }),
          )
        ).access_token,
      );
      expect((await again('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    } finally {
      expect(await service.stop()).toBe(0);
      logs = service.output();
      spans = JSON.stringify(deployed.receiver.spans);
    }
  });
  afterAll(() => deployed?.close());

  const variants = (value: string) => [
    value,
    encodeURIComponent(value),
    value.replace('@', '%40'),
    value.split(' ').join('+'),
    value.split('@')[0]!,
  ];
  const personal = () =>
    Object.entries(phi).flatMap(([name, value]) =>
      variants(value).map((variant) => [name, variant] as const),
    );
  /** Each variant found, with what surrounds it: where it leaked from. */
  const found = (text: string) =>
    personal().flatMap(([name, variant]) => {
      const at = text.indexOf(variant);
      return at < 0 ? [] : [`${name} in …${text.slice(Math.max(0, at - 100), at + variant.length + 20)}…`];
    });

  it('had something to look at: every route was exercised, slow statements logged, spans exported', () => {
    expect(seen).toEqual(
      new Set([
        'POST 201',
        'POST 409',
        'POST 422',
        'POST 401',
        'POST 200',
        'GET 200',
        'GET 422',
        'PATCH 200',
        'PATCH 422',
        'GET 403',
        'GET 404',
        'POST 204',
        'GET 401',
      ]),
    );
    expect(logs).toContain('"route":"/api/v1/users/:id"');
    expect(logs).toContain('slow');
    expect(spans).toContain('POST /api/v1/users');
    expect(spans).toContain('GET /api/v1/users/{id}');
    expect(problems.length).toBeGreaterThanOrEqual(9);
  });

  it('no name or email in the logs', () => {
    expect(found(logs)).toEqual([]);
  });

  it('no name or email in span names, attributes, events or statuses', () => {
    expect(found(spans)).toEqual([]);
  });

  it('no name or email quoted in a problem response', () => {
    expect(found(problems.join('\n'))).toEqual([]);
  });
});
