import { NotFound } from '../../shared/errors.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { LegalHoldScope } from './legal-hold-repository.js';

/** An operator's action, from the command line: no request, so no address or request id; who is in the metadata. */
const byOperator = { actorId: null, outcome: 'SUCCESS', ip: null, requestId: null } as const;

/** Places a hold and audits it in one transaction: the trail says who held what, and why. */
export function placeLegalHold(uow: UnitOfWork, scope: LegalHoldScope, reason: string, by: string) {
  return uow.transaction(async (repos) => {
    const hold = await repos.legalHolds.place(scope, reason, by);
    await repos.audit.record({
      ...byOperator,
      action: 'audit.legal_hold_placed',
      target: scope.userId ?? null,
      metadata: {
        holdId: hold.id,
        by,
        reason,
        from: scope.from?.toISOString() ?? null,
        until: scope.until?.toISOString() ?? null,
      },
    });
    return hold;
  });
}

export function releaseLegalHold(uow: UnitOfWork, id: bigint, by: string) {
  return uow.transaction(async (repos) => {
    const hold = await repos.legalHolds.release(id, by);
    if (!hold) throw new NotFound(`No legal hold ${id} is in force.`);
    await repos.audit.record({
      ...byOperator,
      action: 'audit.legal_hold_released',
      target: hold.userId ?? null,
      metadata: { holdId: hold.id, by },
    });
    return hold;
  });
}
