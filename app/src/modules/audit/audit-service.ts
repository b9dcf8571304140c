import type { UnitOfWork } from '../unit-of-work.js';
import type { AuditQuery } from './audit-repository.js';

export function listAudit(deps: { uow: UnitOfWork }, query: AuditQuery) {
  return deps.uow.repos.audit.list(query);
}
