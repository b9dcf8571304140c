import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { tierDefaults } from '../../src/config/tiers.js';
import { as, createUser, json, login } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { sha1Hex, startPwnedPasswordsFake } from '../support/pwned-passwords-fake.js';
import { startTestApp, type TestApp, testEnv } from '../support/test-app.js';

// Long enough, and on no common-password list: only a breach lookup can refuse them.
const breached = 'violet umbrella 1987 harbour';
const decoy = 'amber lantern 2004 meadow';
const unseen = 'silver kettle 1999 orchard';

describe('opt-in breached-password lookup (k-anonymity range API)', () => {
  let fake: Awaited<ReturnType<typeof startPwnedPasswordsFake>>;
  let app: TestApp;
  beforeAll(async () => {
    fake = await startPwnedPasswordsFake();
    fake.breach(breached);
    fake.pad(decoy);
    app = await startTestApp({
      PASSWORD_BREACH_LOOKUP_URL: fake.url,
      PASSWORD_BREACH_LOOKUP_TIMEOUT_MS: '300',
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });
  beforeEach(() => {
    fake.mode('answer');
    fake.requests.length = 0;
  });

  const register = (password: string) =>
    app.fetch('/api/v1/users', {
      method: 'POST',
      ...json({ email: `breach.${crypto.randomUUID()}@example.com`, password, fullName: 'B' }),
    });

  it('refuses a password the range API lists, sending only the first five characters of its SHA-1', async () => {
    const problem = await expectProblem(await register(breached), 422, 'validation-failed');
    expect(problem.errors).toContainEqual({ field: 'password', message: 'appears in a known data breach' });

    const hash = sha1Hex(breached);
    expect(fake.requests.map((request) => request.path)).toEqual([`/range/${hash.slice(0, 5)}`]);
    expect(fake.requests[0]?.headers['add-padding']).toBe('true');
    expect(JSON.stringify(fake.requests)).not.toContain(hash.slice(5));
  });

  it('accepts a password that is listed only as padding (count 0), or not at all', async () => {
    expect((await register(decoy)).status).toBe(201);
    expect((await register(unseen)).status).toBe(201);
  });

  it('refuses a breached new password at password change', async () => {
    const user = await createUser(app);
    const me = as(app, (await login(app, user)).access_token);
    const change = await me('/api/v1/users/me/password', {
      method: 'POST',
      body: { currentPassword: user.password, newPassword: breached },
    });
    const problem = await expectProblem(change, 422, 'validation-failed');
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'newPassword' }));
  });

  it('fails open: a range API that does not answer in time, or answers 503, does not stop registration', async () => {
    fake.mode('hang');
    const started = performance.now();
    expect((await register(breached)).status).toBe(201);
    expect(performance.now() - started).toBeLessThan(3000);

    fake.mode('error');
    expect((await register(breached)).status).toBe(201);
    expect(fake.requests).toHaveLength(2);
    expect(
      app.logs.lines.filter((line) => String(line.msg).startsWith('breached-password lookup failed')),
    ).toHaveLength(2);
  });
});

describe('breached-password lookup is off by default', () => {
  it('no tier turns it on, and a configuration without the URL has no lookup', () => {
    for (const defaults of Object.values(tierDefaults)) {
      expect(defaults).not.toHaveProperty('PASSWORD_BREACH_LOOKUP_URL');
    }
    const env = testEnv({ DATABASE_URL: 'postgresql://app:pw@127.0.0.1:5432/app' });
    expect(loadConfig(env).auth.breachLookup).toBeUndefined();
    const on = loadConfig({ ...env, PASSWORD_BREACH_LOOKUP_URL: 'https://api.pwnedpasswords.com' });
    expect(on.auth.breachLookup).toEqual({ url: 'https://api.pwnedpasswords.com', timeoutMs: 1500 });
  });
});
