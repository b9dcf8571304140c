import { z } from 'zod';
import { storableDateTime } from '../shared/storable.js';
import { apiKeyScopes } from './api-key-scopes.js';

export const apiKeyCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(100).meta({ description: 'What the key is for, to tell keys apart' }),
    scopes: z
      .array(z.enum(apiKeyScopes))
      .min(1)
      .refine((scopes) => new Set(scopes).size === scopes.length, { message: 'must not repeat a scope' }),
    expiresAt: storableDateTime.meta({
      description: 'Required; in the future and at most API_KEY_MAX_TTL_DAYS away',
    }),
  })
  .meta({ id: 'ApiKeyCreate' });

export const apiKeyResponse = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    scopes: z.array(z.enum(apiKeyScopes)),
    createdBy: z.uuid(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'Recorded at most once a minute: may trail the newest use by up to a minute' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ApiKey' });

export const apiKeyCreated = apiKeyResponse
  .extend({
    key: z.string().meta({
      description:
        'The key, for the X-API-Key header. Shown only in this response: it is stored only hashed.',
    }),
  })
  .meta({ id: 'ApiKeyCreated' });

export const apiKeyIdParams = z.object({ id: z.uuid() });
export const apiKeyOwnerParams = z.object({ userId: z.uuid() });
