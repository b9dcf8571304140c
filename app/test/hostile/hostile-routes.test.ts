import fc from 'fast-check';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/app.js';
import type { ApiRoute } from '../../src/http/api/api-route.js';
import { koaPath } from '../../src/http/api/register-routes.js';
import { as, createUser, login, type TestUser } from '../support/api.js';
import { rawRequest } from '../support/raw-request.js';
import { startTestApp, type TestApp, testSigningKeys } from '../support/test-app.js';
import {
  emailTricks,
  hostileBody,
  hostileHeaderValue,
  hostileQuery,
  hostileSegment,
  sqlish,
  wellFormed,
} from './arbitraries.js';
import { expectNoLeaks, expectSafeAnswer } from './invariants.js';
import { rowCounter } from './row-counts.js';
import { tokenVariants } from './token-variants.js';

const bodyMethods = new Set(['post', 'put', 'patch', 'delete']);

// A small, fixed budget per property: generated cases vary from run to run, the file stays well under a minute.
const runs = Number(process.env.HOSTILE_RUNS ?? 120);

describe('hostile input at every route', () => {
  let app: TestApp;
  let counter: Awaited<ReturnType<typeof rowCounter>>;
  let routes: ApiRoute[];
  let tokens: Record<string, string | undefined>;
  let victim: TestUser;
  let spare: TestUser;
  let victimItemId: string;
  let secrets: string[];

  beforeAll(async () => {
    app = await startTestApp({
      RATE_LIMIT_MAX: '1000000',
      LOGIN_MAX_FAILURES_PER_CLIENT: '100000',
      LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_CLIENT: '1000',
      LOGIN_ACCOUNT_CEILING: '100000',
      RATE_LIMIT_AUTH_MAX: '1000000',
    });
    counter = await rowCounter(app.database!.url);
    routes = apiRoutes(app.cfg, { ...app.deps, isAcceptingTraffic: () => true });
    const caller = await createUser(app);
    const admin = await createUser(app, { role: 'ADMIN' });
    victim = await createUser(app);
    spare = await createUser(app);
    const victimToken = (await login(app, victim)).access_token;
    const created = await as(app, victimToken)('/api/v1/items', {
      method: 'POST',
      body: { title: 'victim item' },
    });
    victimItemId = ((await created.json()) as { id: string }).id;
    const signingKey = testSigningKeys.keys[0] as JWK & { kid?: string; d?: string };
    tokens = await tokenVariants({
      userToken: (await login(app, caller)).access_token,
      adminToken: (await login(app, admin)).access_token,
      signingKey,
      publicJwk: app.deps.keys.jwks().keys[0] as JWK,
    });
    // What must never appear in a response body, whatever the request.
    secrets = [
      signingKey.d!,
      app.cfg.database.kind === 'postgres' ? app.cfg.database.url : '',
      '$argon2',
    ].filter(Boolean);
  });
  afterAll(async () => {
    await counter?.close();
    await app?.close();
  });

  const send = (path: string, method: string, headers: Record<string, string>, payload?: string | Buffer) =>
    rawRequest(app.url, {
      method,
      path,
      headers:
        payload === undefined
          ? headers
          : { 'content-length': String(Buffer.byteLength(payload)), ...headers },
      chunks: payload === undefined ? [] : [payload],
    });

  /** Sends the request; if it was refused, no row may have changed. */
  const sendChecked = async (
    label: string,
    path: string,
    method: string,
    headers: Record<string, string>,
    payload?: string | Buffer,
  ) => {
    const before = await counter.counts();
    const response = await send(path, method, headers, payload);
    expectSafeAnswer(response, secrets, label);
    if (response.status >= 400) expect(await counter.counts(), `${label}: rows changed`).toEqual(before);
    return response;
  };

  it('covers every route the service serves', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(new Set(routes.map((route) => route.access))).toEqual(new Set(['public', 'user', 'admin']));
  });

  it('answers generated requests to any route safely, and writes nothing when it refuses them', async () => {
    const request = fc.record({
      // By operation id, so a counterexample prints as a name rather than a route object.
      operation: fc.constantFrom(...routes.map((route) => route.operationId)),
      id: hostileSegment([victimItemId, victim.id]),
      query: hostileQuery,
      token: fc.constantFrom(...Object.keys(tokens)),
      body: fc.option(hostileBody, { freq: 4 }),
      host: fc.constantFrom('127.0.0.1', 'localhost', 'evil.example.com', '127.0.0.1:1@evil.example.com', ''),
      requestId: hostileHeaderValue,
      forwardedFor: hostileHeaderValue,
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ operation, ...r }) => {
        const route = routes.find((candidate) => candidate.operationId === operation)!;
        // Logging the caller out would only make later cases anonymous: that route gets the forged tokens.
        const token =
          route.operationId === 'logout' && (r.token === 'user' || r.token === 'admin') ? 'garbage' : r.token;
        const path = koaPath(route.path).replace(':id', r.id) + r.query;
        const method = route.method.toUpperCase();
        const headers: Record<string, string> = {
          host: r.host,
          'x-request-id': r.requestId,
          'x-forwarded-for': r.forwardedFor,
        };
        if (tokens[token]) headers.authorization = tokens[token];
        const body =
          r.body && (bodyMethods.has(route.method) || r.body.kind === 'malformed') ? r.body : undefined;
        if (body?.contentType) headers['content-type'] = body.contentType;
        const label = `${method} ${path.slice(0, 120)} token=${token} body=${body?.kind ?? 'none'}`;
        await sendChecked(label, path, method, headers, body?.payload);
      }),
      { numRuns: runs },
    );
  });

  it('refuses known-bad requests at every route with a problem, writing nothing', async () => {
    const knownBad: { name: string; headers: Record<string, string>; payload: string | Buffer }[] = [
      { name: 'malformed JSON', headers: { 'content-type': 'application/json' }, payload: '{"title":' },
      {
        name: 'nested arrays',
        headers: { 'content-type': 'application/json' },
        payload: `${'['.repeat(40_000)}${']'.repeat(40_000)}`,
      },
      {
        name: 'nested objects',
        headers: { 'content-type': 'application/json' },
        payload: `${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}`,
      },
      {
        name: 'huge body',
        headers: { 'content-type': 'application/json' },
        payload: `{"title":"${'x'.repeat(2_000_000)}"}`,
      },
      {
        name: 'XML',
        headers: { 'content-type': 'application/xml' },
        payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      },
      {
        name: 'multipart',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
        payload: '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--b--',
      },
      { name: 'text', headers: { 'content-type': 'text/plain' }, payload: 'title=x' },
      {
        name: 'invalid UTF-8',
        headers: { 'content-type': 'application/json' },
        payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0xc3, 0x28, 0x7d]),
      },
      {
        name: 'UTF-16 JSON',
        headers: { 'content-type': 'application/json; charset=utf-16' },
        payload: Buffer.from('{"title":"x"}', 'utf16le'),
      },
    ];
    const anonymousOrForged = [
      'none',
      'alg none',
      'tampered',
      'expired',
      'unknown kid',
      'HS256 with the public key',
    ];
    for (const route of routes) {
      const path = koaPath(route.path).replace(':id', victimItemId);
      const method = route.method.toUpperCase();
      for (const bad of knownBad) {
        if (!bodyMethods.has(route.method)) continue;
        // Logging out succeeds whatever the body says when it parses: spend a session of its own on it.
        const token =
          route.operationId === 'logout' ? `Bearer ${(await login(app, spare)).access_token}` : tokens.user!;
        const label = `${method} ${route.path} ${bad.name}`;
        const response = await sendChecked(
          label,
          path,
          method,
          { ...bad.headers, authorization: token },
          bad.payload,
        );
        // Deep nesting is valid JSON: only a route that reads a body must refuse it.
        if (route.body || !bad.name.startsWith('nested'))
          expect(response.status, label).toBeGreaterThanOrEqual(400);
      }
      for (const token of anonymousOrForged) {
        const value = tokens[token];
        const headers: Record<string, string> = value ? { authorization: value } : {};
        const response = await sendChecked(`${method} ${route.path} ${token}`, path, method, headers);
        if (route.access !== 'public') expect(response.status, `${method} ${route.path} ${token}`).toBe(401);
      }
    }
  });

  it('turns away forged and malformed tokens with 401 before any handler runs', async () => {
    for (const [name, value] of Object.entries(tokens)) {
      if (!value || name === 'user' || name === 'admin') continue;
      const response = await sendChecked(`GET /users/me ${name}`, '/api/v1/users/me', 'GET', {
        authorization: value,
      });
      expect([401, 404], name).toContain(response.status);
    }
  });

  it('stores SQL-ish strings in every item field as plain data and finds them by search', async () => {
    const post = as(app, tokens.user!.slice('Bearer '.length));
    for (const text of sqlish) {
      const created = await post('/api/v1/items', {
        method: 'POST',
        body: { title: text, description: text },
      });
      const body = await created.text();
      expectNoLeaks(body, secrets, text);
      if (created.status === 422) continue; // blank after trim, or too long: refused, fine
      expect(created.status, `${text}: ${body}`).toBe(201);
      const item = JSON.parse(body) as { id: string; description: string };
      expect(item.description).toBe(text.replace(/\uD800/g, '\uFFFD'));
      const search = await post(`/api/v1/items?q=${encodeURIComponent(wellFormed(text.slice(0, 100)))}`);
      expect(search.status, text).not.toBe(500);
    }
    const all = (await (await post('/api/v1/items?limit=100')).json()) as { items: { ownerId: string }[] };
    expect(new Set(all.items.map((item) => item.ownerId)).size).toBe(1); // no query escaped its owner filter
  });

  it('never lets an email trick register a second account for an existing address', async () => {
    for (const email of emailTricks(victim.email)) {
      const response = await app.fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a long enough passphrase', fullName: 'Impostor' }),
      });
      const body = await response.text();
      expectNoLeaks(body, secrets, email);
      expect([201, 409, 422], `${JSON.stringify(email)}: ${response.status} ${body}`).toContain(
        response.status,
      );
      const loginAs = await app.fetch('/api/v1/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: victim.password }),
      });
      expect([200, 401, 422], JSON.stringify(email)).toContain(loginAs.status);
    }
    expect(await counter.duplicateEmails()).toEqual([]);
    // The victim still logs in with their own password, and only they do.
    expect(
      (
        await app.fetch('/api/v1/auth/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: victim.email, password: victim.password }),
        })
      ).status,
    ).toBe(200);
  });

  it('is still up and ready afterwards', async () => {
    expect((await app.fetch('/api/v1/health/live')).status).toBe(200);
    expect((await app.fetch('/api/v1/health/ready')).status).toBe(200);
    const unexpected = app.logs.lines.filter((line) => line.msg === 'unexpected error');
    expect(unexpected.map((line) => (line.err as { message?: string })?.message)).toEqual([]);
  });
});
