import { isKind } from '../model/kube-object.js';
import type { ObjectRule } from '../model/rule.js';

export const poolerTransactionMode: ObjectRule = {
  scope: 'object',
  name: 'pooler-transaction-mode',
  description:
    'Every CloudNativePG Pooler runs PgBouncer in transaction mode: the service holds a server connection only ' +
    'for the length of a transaction, which is what lets many pods share a small Postgres connection budget.',
  severity: 'medium',
  remediation: 'Set spec.pgbouncer.poolMode: transaction on the Pooler (CloudNativePG defaults to session).',
  check(object) {
    if (!isKind(object, 'postgresql.cnpg.io', 'Pooler')) return [];
    const mode = (object.spec as { pgbouncer?: { poolMode?: string } } | undefined)?.pgbouncer?.poolMode;
    return mode === 'transaction'
      ? []
      : [`pgbouncer.poolMode is ${mode ?? 'unset (session)'}, not transaction`];
  },
};
