/** The sensitive actions that leave a trace. Stable strings: dashboards and alerts match on them. */
export const auditActions = [
  'auth.login',
  'auth.logout',
  'auth.refresh_reuse',
  'auth.session_revoked',
  'user.registered',
  'user.password_changed',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'item.deleted',
  /** HIPAA mode: a response showed personal fields (metadata: route, fields, subjects). */
  'phi.read',
  'api_key.created',
  'api_key.revoked',
  'api_key.denied',
  'audit.legal_hold_placed',
  'audit.legal_hold_released',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEvent {
  readonly actorId: string | null;
  readonly action: AuditAction;
  readonly target: string | null;
  readonly outcome: 'SUCCESS' | 'FAILURE';
  readonly ip: string | null;
  readonly requestId: string | null;
  readonly metadata?: Record<string, string | number | boolean | null>;
}

export interface AuditRecord extends AuditEvent {
  readonly id: string;
  readonly createdAt: Date;
}

/** An audit event for a request: who did what to which target, and how it ended. */
export function auditEvent(
  meta: { readonly ip: string; readonly requestId: string },
  event: Pick<AuditEvent, 'actorId' | 'action' | 'target'> &
    Partial<Pick<AuditEvent, 'outcome' | 'metadata'>>,
): AuditEvent {
  return { outcome: 'SUCCESS', ...event, ip: meta.ip, requestId: meta.requestId };
}
