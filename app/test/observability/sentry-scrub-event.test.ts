import { describe, expect, it } from 'vitest';
import { scrubEvent } from '../../src/observability/error-reporting/scrub-event.js';

const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl';

describe('an event on its way to Sentry', () => {
  const event = {
    event_id: 'abc',
    message: `login failed for Bearer ${jwt.slice(0, 20)}abcdefgh`,
    request: {
      url: '/api/v1/items/secret-id',
      headers: { authorization: 'Bearer x' },
      cookies: { sid: 's' },
      data: '{}',
    },
    user: { ip_address: '203.0.113.9' },
    extra: {
      password: 'hunter2hunter2',
      nested: { accessToken: 'access-value', 'X-API-Key': 'key-value', note: `token=${'t'.repeat(12)}` },
      list: [jwt],
    },
    breadcrumbs: [{ message: `GET postgres://app:db-password@db/app` }],
    tags: { request_id: 'r-1' },
  };
  const scrubbed = scrubEvent(event) as typeof event;

  it('carries no request and no user', () => {
    expect(scrubbed.request).toBeUndefined();
    expect(scrubbed.user).toBeUndefined();
  });

  it("censors every field the logger redacts by name, at any depth, whatever the name's case", () => {
    expect(scrubbed.extra.password).toBe('[redacted]');
    expect(scrubbed.extra.nested.accessToken).toBe('[redacted]');
    expect(scrubbed.extra.nested['X-API-Key']).toBe('[redacted]');
  });

  it('runs every string through the secret patterns of the logs', () => {
    expect(scrubbed.extra.list).toEqual(['[redacted-jwt]']);
    expect(scrubbed.extra.nested.note).toBe('token=[redacted]');
    expect(scrubbed.message).toBe('login failed for Bearer [redacted]');
    expect(scrubbed.breadcrumbs[0]?.message).toBe('GET postgres://app:[redacted]@db/app');
    expect(scrubbed.tags).toEqual({ request_id: 'r-1' });
    expect(scrubbed.event_id).toBe('abc');
  });
});
