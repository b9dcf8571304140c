import { auditPage, auditQuery } from '../../modules/audit/audit-schemas.js';
import { listAudit } from '../../modules/audit/audit-service.js';
import type { UnitOfWork } from '../../modules/unit-of-work.js';
import { type ApiRoute, route } from '../api/api-route.js';
import { apiPrefix } from './paths.js';

export function auditRoutes(deps: { uow: UnitOfWork }): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: `${apiPrefix}/audit`,
      operationId: 'listAudit',
      summary: 'The audit trail, newest first, with filters (admin)',
      tag: 'audit',
      access: 'admin',
      query: auditQuery,
      success: { status: 200, description: 'A page of audit records', schema: auditPage },
      handle: ({ query }) =>
        listAudit(deps, {
          ...query,
          beforeId: query.cursor === undefined ? undefined : BigInt(query.cursor),
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        }),
    }),
  ];
}
