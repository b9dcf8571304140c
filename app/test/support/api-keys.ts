import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

export interface CreatedKey {
  id: string;
  key: string;
  userId: string;
  scopes: string[];
  lastUsedAt: string | null;
}

export const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
export const inDays = (days: number) => inMs(days * 86_400_000);

type Caller = (path: string, init?: { method?: string; body?: unknown }) => Promise<Response>;

/** Issues a key through the API as `caller` (a session), for the caller or, given `forUser`, as an admin. */
export async function issueKey(
  caller: Caller,
  scopes: string[],
  options: { forUser?: string; expiresAt?: string; name?: string } = {},
): Promise<CreatedKey> {
  const path = options.forUser ? `/api/v1/users/${options.forUser}/api-keys` : '/api/v1/api-keys';
  const response = await caller(path, {
    method: 'POST',
    body: { name: options.name ?? 'test key', scopes, expiresAt: options.expiresAt ?? inDays(30) },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as CreatedKey;
}

/** fetch with X-API-Key and, when given, a JSON body. */
export function withKey(app: Pick<TestApp, 'fetch'>, key: string) {
  return (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    app.fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        'x-api-key': key,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
}

/** The audit trail of one key, oldest first, as `action:outcome[:reason]`. */
export async function keyAudit(app: TestApp, keyId: string): Promise<string[]> {
  const rows = await app.deps.db.prisma.auditLog.findMany({
    where: { target: keyId },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => {
    const reason = (row.metadata as { reason?: string } | null)?.reason;
    return [row.action, row.outcome, ...(reason ? [reason] : [])].join(':');
  });
}
