// `npm run legal-hold -- place --reason <why> --by <who> [--user <id>] [--from <time>] [--until <time>]`,
// `npm run legal-hold -- list [--all]`, `npm run legal-hold -- release <id> --by <who>`
// (image: `node dist/cli/legal-hold.js ...`). Audit entries a hold in force matches are never purged; placing and
// releasing are themselves audited.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { LegalHold } from '../modules/audit/legal-hold-repository.js';
import { placeLegalHold, releaseLegalHold } from '../modules/audit/legal-hold-service.js';
import { openCliDatabase, runCli } from './open-cli-database.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reason: { type: 'string' },
    by: { type: 'string' },
    user: { type: 'string' },
    from: { type: 'string' },
    until: { type: 'string' },
    all: { type: 'boolean', default: false },
  },
});

const time = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value) => new Date(value));
const who = z.string().trim().min(1, '--by names who acts (kept with the hold and in the audit log)');
const commands = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('place'),
    reason: z.string().trim().min(1, '--reason is required (the matter or ticket the hold serves)'),
    by: who,
    user: z.uuid().optional(),
    from: time.optional(),
    until: time.optional(),
  }),
  z.object({ command: z.literal('list'), all: z.boolean() }),
  z.object({
    command: z.literal('release'),
    id: z.string().regex(/^\d{1,18}$/, 'a hold id from list'),
    by: who,
  }),
]);

const describe = (hold: LegalHold) =>
  [
    `#${hold.id}`,
    hold.userId ? `user ${hold.userId}` : 'every user',
    `from ${hold.from?.toISOString() ?? 'the start'}`,
    `until ${hold.until?.toISOString() ?? 'now on'}`,
    `placed by ${hold.placedBy} at ${hold.placedAt.toISOString()}: ${hold.reason}`,
    hold.releasedAt ? `released by ${hold.releasedBy} at ${hold.releasedAt.toISOString()}` : 'in force',
  ].join(' | ');

async function main(): Promise<number> {
  const parsed = commands.safeParse({ ...args, command: positionals[0], id: positionals[1] });
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`legal-hold: ${issue.path.join('.')}: ${issue.message}`);
    console.error('usage: legal-hold place|list|release (see the runbook docs/runbooks/data-retention.md)');
    return 2;
  }
  const command = parsed.data;
  const { uow, close } = await openCliDatabase();
  try {
    if (command.command === 'place') {
      const { reason, by, user, from, until } = command;
      console.log(`placed ${describe(await placeLegalHold(uow, { userId: user, from, until }, reason, by))}`);
    } else if (command.command === 'release') {
      console.log(`released ${describe(await releaseLegalHold(uow, BigInt(command.id), command.by))}`);
    } else {
      const holds = await uow.repos.legalHolds.list({ includeReleased: command.all });
      console.log(holds.length ? holds.map(describe).join('\n') : 'no legal holds in force');
    }
    return 0;
  } finally {
    await close();
  }
}

runCli('legal-hold', main);
