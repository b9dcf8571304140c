import { expect } from 'vitest';
import type { RawResponse } from '../support/raw-request.js';

// A V8 stack frame (`at fn (file:1:2)` or `at file:1:2`) or a path into our code or dependencies.
const leaks = [
  /\bat\s+\S.*:\d+:\d+/,
  /node_modules/,
  /\/src\/[\w/-]+\.[jt]s/,
  /Prisma(Client)?[A-Z]\w*Error/,
];

/** What a response may never contain, whatever was sent: stack traces, paths, and the given secrets. */
export function expectNoLeaks(body: string, secrets: readonly string[], label: string): void {
  for (const pattern of leaks)
    expect(body, `${label}: ${pattern} in ${body.slice(0, 500)}`).not.toMatch(pattern);
  for (const secret of secrets)
    expect(body.includes(secret), `${label}: ${secret.slice(0, 12)}… in ${body.slice(0, 300)}`).toBe(false);
}

/**
 * The invariants every answer to a hostile request keeps: never a 500 (501 only for methods HTTP does not
 * define), errors are problem+json whose status matches, and nothing leaks.
 */
export function expectSafeAnswer(response: RawResponse, secrets: readonly string[], label: string): void {
  const detail = `${label} -> ${response.status} ${response.body.slice(0, 300)}`;
  expect(response.status, detail).not.toBe(500);
  expect(response.status, detail).toBeLessThan(502);
  expect(response.status, detail).toBeGreaterThanOrEqual(200);
  expectNoLeaks(response.body, secrets, label);
  if (response.status < 400) return;
  expect(response.headers['content-type'], detail).toBe('application/problem+json');
  const problem = JSON.parse(response.body) as { type?: unknown; status?: unknown; requestId?: unknown };
  expect(problem.status, detail).toBe(response.status);
  expect(String(problem.type), detail).toMatch(/^\/problems\/[a-z-]+$/);
  expect(problem.requestId, detail).toBe(response.headers['x-request-id']);
}
