import { z } from 'zod';
import { auditActions } from './audit-event.js';

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .meta({ description: 'nextCursor of the previous page' }),
  actorId: z.uuid().optional(),
  action: z.enum(auditActions).optional(),
  outcome: z.enum(['SUCCESS', 'FAILURE']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
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
