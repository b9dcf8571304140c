import { expect } from 'vitest';

/** Asserts the response is an RFC 9457 problem with our members, and returns its body. */
export async function expectProblem(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ type: `/problems/${type}`, status, title: expect.any(String) });
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  expect(typeof body.detail).toBe('string');
  expect(typeof body.instance).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/\s+at\s.+\(.+:\d+:\d+\)/); // no stack frames
  return body;
}
