import { expect } from 'vitest';
import { hashPassword } from '../../src/modules/auth/passwords.js';
import type { Role, User } from '../../src/modules/users/user.js';
import type { TestApp } from './test-app.js';

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
}

export interface TestUser extends User {
  readonly password: string;
}

let counter = 0;

/** A user of the test's own, written straight through the repository (admins cannot register themselves). */
export async function createUser(
  app: TestApp,
  options: { role?: Role; email?: string } = {},
): Promise<TestUser> {
  counter += 1;
  const password = `correct horse battery ${counter}`;
  const email = options.email ?? `user${counter}.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const user = await app.deps.uow.repos.users.create({
    email,
    passwordHash: await hashPassword(password),
    fullName: `Test User ${counter}`,
    role: options.role ?? 'USER',
  });
  return { ...user, password };
}

export const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface CallInit {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** fetch with an optional JSON body, for a service running in its own process (where there is no TestApp). */
export function fetchJson(url: string, init: CallInit = {}) {
  return fetch(url, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? { headers: init.headers } : json(init.body, init.headers)),
  });
}

export async function login(
  app: TestApp,
  user: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<TokenResponse> {
  const response = await app.fetch('/api/v1/auth/token', {
    method: 'POST',
    ...json({ email: user.email, password: user.password }, headers),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as TokenResponse;
}

/** fetch with the caller's access token and, when given, a JSON body. */
export function as(app: TestApp, token: string) {
  return (path: string, init: { method?: string; body?: unknown } = {}) =>
    app.fetch(path, {
      method: init.method ?? 'GET',
      ...(init.body === undefined ? { headers: bearer(token) } : json(init.body, bearer(token))),
    });
}

export async function refresh(app: TestApp, refreshToken: string) {
  return app.fetch('/api/v1/auth/refresh', { method: 'POST', ...json({ refresh_token: refreshToken }) });
}
