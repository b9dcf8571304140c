import { z } from 'zod';
import { maxBigint, storableDateTime } from '../shared/storable.js';
import { auditActions } from './audit-event.js';

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,19}$/)
    // zod runs this check even when the regex failed: convert only what the regex accepts.
    .refine((value) => !/^\d+$/.test(value) || BigInt(value) <= maxBigint, {
      message: 'no record has this id',
    })
    .optional()
    .meta({ description: 'nextCursor of the previous page' }),
  actorId: z.uuid().optional(),
  action: z.enum(auditActions).optional(),
  outcome: z.enum(['SUCCESS', 'FAILURE']).optional(),
  from: storableDateTime.optional(),
  to: storableDateTime.optional(),
});

export const auditRecordResponse = z
  .object({
    id: z.string(),
    actorId: z.uuid().nullable(),
    action: z.enum(auditActions),
    target: z.string().nullable(),
    outcome: z.enum(['SUCCESS', 'FAILURE']),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditRecord' });

export const auditPage = z
  .object({ items: z.array(auditRecordResponse), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
