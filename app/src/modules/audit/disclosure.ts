import { type ProtectedTable, protectedFieldNames } from '../../adapters/crypto/protected-fields.js';
import { Unavailable } from '../../shared/errors.js';
import type { RequestMeta } from '../shared/request-meta.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { auditEvent } from './audit-event.js';

/** The records a response shows personal fields of, and which of those fields it shows. */
export interface Disclosure {
  readonly subjects: readonly string[];
  readonly fields: readonly string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a response body (one record, or a page's `items`) discloses of `table`'s personal fields; undefined when
 * it shows none (e.g. `?fields=id,role`). Looks at what is actually sent, after field selection.
 */
export function disclosureIn(table: ProtectedTable, body: unknown): Disclosure | undefined {
  const names = protectedFieldNames(table);
  const records = isObject(body) && Array.isArray(body.items) ? body.items : [body];
  const subjects = new Set<string>();
  const fields = new Set<string>();
  for (const record of records) {
    if (!isObject(record)) continue;
    const shown = names.filter((name) => name in record);
    if (shown.length === 0) continue;
    subjects.add(String(record.id));
    for (const name of shown) fields.add(name);
  }
  return subjects.size === 0 ? undefined : { subjects: [...subjects], fields: [...fields] };
}

/** The read could not be audited, so it is not served: no personal data leaves without its record. */
export class ReadNotAudited extends Unavailable {
  constructor() {
    super('The read could not be recorded in the audit log, so nothing was served; try again.', 1);
  }
}

/**
 * One audit entry per response, naming every subject in it (a page of 100 users is one entry, not 100): the
 * audit log's chain lock serializes its inserts, so an entry per row would make list reads queue behind it.
 */
export async function auditDisclosure(
  deps: { uow: UnitOfWork },
  meta: RequestMeta,
  read: { actorId: string | null; route: string; disclosure: Disclosure },
): Promise<void> {
  const { subjects, fields } = read.disclosure;
  await deps.uow.repos.audit.record(
    auditEvent(meta, {
      actorId: read.actorId,
      action: 'phi.read',
      target: subjects.length === 1 ? (subjects[0] ?? null) : null,
      metadata: {
        route: read.route,
        fields: fields.join(','),
        subjects: subjects.join(','),
        count: subjects.length,
      },
    }),
  );
}
