import { auditDisclosure, disclosureIn, ReadNotAudited } from '../../modules/audit/disclosure.js';
import type { Principal, RequestMeta } from '../../modules/shared/request-meta.js';
import type { UnitOfWork } from '../../modules/unit-of-work.js';
import type { Logger } from '../../observability/logger.js';
import type { ApiRoute } from './api-route.js';

/** Runs after a handler, before its result is sent: may refuse to send it. */
export type ReadAudit = (
  route: ApiRoute,
  input: { readonly principal: Principal | undefined; readonly meta: RequestMeta },
  result: unknown,
) => Promise<void>;

/**
 * HIPAA mode: a response that shows personal fields (a route marked `discloses`) is audited before it is sent.
 * If the audit entry cannot be written the response is withheld (503): a read nobody can account for is
 * worse than a failed one.
 */
export function readAudit(deps: { uow: UnitOfWork; log: Logger }): ReadAudit {
  return async (route, input, result) => {
    if (!route.discloses) return;
    const disclosure = disclosureIn(route.discloses, result);
    if (!disclosure) return;
    try {
      await auditDisclosure(deps, input.meta, {
        actorId: input.principal?.userId ?? null,
        route: `${route.method.toUpperCase()} ${route.path}`,
        disclosure,
      });
    } catch (error) {
      deps.log.error(
        { err: error, requestId: input.meta.requestId, operation: route.operationId },
        'read audit failed: response withheld',
      );
      throw new ReadNotAudited();
    }
  };
}
