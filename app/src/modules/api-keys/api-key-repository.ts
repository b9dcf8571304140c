import type { ApiKey as ApiKeyRow } from '../../generated/prisma/client.js';
import type { DbClient } from '../shared/db-client.js';
import type { ApiKey, StoredKey } from './api-key.js';
import type { ApiKeyScope } from './api-key-scopes.js';

export interface NewApiKey {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly secretHash: Buffer;
  readonly scopes: readonly ApiKeyScope[];
  readonly createdBy: string;
  readonly expiresAt: Date;
}

const toApiKey = ({ secretHash: _secret, ...row }: ApiKeyRow): ApiKey => ({
  ...row,
  scopes: row.scopes as ApiKeyScope[],
});

/** The newest keys a listing shows; older ones have long expired. */
const listLimit = 100;

export function apiKeyRepository(db: DbClient) {
  return {
    async create(key: NewApiKey): Promise<ApiKey> {
      return toApiKey(
        await db.apiKey.create({
          data: { ...key, secretHash: new Uint8Array(key.secretHash), scopes: [...key.scopes] },
        }),
      );
    },
    async findById(id: string): Promise<ApiKey | undefined> {
      const row = await db.apiKey.findUnique({ where: { id } });
      return row ? toApiKey(row) : undefined;
    },
    async findForAuthentication(id: string): Promise<StoredKey | undefined> {
      const row = await db.apiKey.findUnique({
        where: { id },
        select: { id: true, userId: true, secretHash: true, scopes: true, expiresAt: true, revokedAt: true },
      });
      return row
        ? { ...row, secretHash: Buffer.from(row.secretHash), scopes: row.scopes as ApiKeyScope[] }
        : undefined;
    },
    async listForUser(userId: string): Promise<ApiKey[]> {
      const rows = await db.apiKey.findMany({
        where: { userId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: listLimit,
      });
      return rows.map(toApiKey);
    },
    /** True when this call revoked it; false when it was already revoked (or does not exist). */
    async revoke(id: string, at: Date): Promise<boolean> {
      const { count } = await db.apiKey.updateMany({
        where: { id, revokedAt: null },
        data: { revokedAt: at },
      });
      return count === 1;
    },
    /**
     * One conditional statement: of the replicas that see a key in the same minute, the first moves it and the
     * rest match no row, so the column is written at most once a minute however many replicas serve the key.
     */
    async touchLastUsed(id: string, at: Date, minIntervalMs: number): Promise<void> {
      await db.apiKey.updateMany({
        where: {
          id,
          OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(at.getTime() - minIntervalMs) } }],
        },
        data: { lastUsedAt: at },
      });
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof apiKeyRepository>;
