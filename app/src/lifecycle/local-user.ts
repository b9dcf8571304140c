import type { Config } from '../config/index.js';
import type { LocalUser } from '../modules/auth/local-user.js';
import type { UnitOfWork } from '../modules/unit-of-work.js';
import { type CreatedAdmin, ensureLocalUser } from '../modules/users/seed-admin.js';
import type { Logger } from '../observability/logger.js';

/** Printed once, to the terminal only (never to the log stream): the database keeps only its hash. */
export function printCreatedAdmin(created: CreatedAdmin): void {
  console.log(`\nLocal admin created: ${created.user.email} / ${created.password}\nLog in at /docs.\n`);
}

/**
 * With AUTH_ENABLED=false (the config allows it in the local tier only): the user requests without a token act
 * as, made sure of at start and announced at warn, so nobody mistakes this process for one that checks callers.
 */
export async function localUserFor(
  cfg: Config,
  uow: UnitOfWork,
  log: Logger,
): Promise<LocalUser | undefined> {
  if (cfg.auth.enabled) return undefined;
  if (!cfg.seed.adminEmail) throw new Error('AUTH_ENABLED=false needs the local tier (SEED_ADMIN_EMAIL)');
  const { user, created } = await ensureLocalUser(uow, cfg.seed.adminEmail);
  if (created) printCreatedAdmin(created);
  log.warn(
    { actingAs: user.email, role: user.role },
    `authentication is off (AUTH_ENABLED=false): requests without a token act as ${user.email} (${user.role})`,
  );
  return { id: user.id, email: user.email, role: user.role };
}
