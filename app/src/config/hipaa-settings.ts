import { bool, int } from './env-types.js';

/**
 * Session lifetimes HIPAA mode allows at most. Automatic logoff (45 CFR 164.312(a)(2)(iii)): a stolen access
 * token works for at most 15 minutes, a session dies after 12 hours whatever happens, and after 30 minutes
 * without a refresh (a client in use refreshes at least once per access-token lifetime).
 */
export const hipaaSessionCaps = {
  ACCESS_TOKEN_TTL_SECONDS: 15 * 60,
  REFRESH_TOKEN_TTL_SECONDS: 12 * 60 * 60,
  SESSION_IDLE_TIMEOUT_SECONDS: 30 * 60,
} as const;

/** Audit entries are documentation HIPAA keeps six years (45 CFR 164.316(b)(2)): 6 × 365 days and two leap days. */
export const hipaaAuditRetentionDays = 6 * 365 + 2;

/** Variables of HIPAA mode; spread into the one env schema. */
export const hipaaEnv = {
  /** For deployments that hold protected health information: audited reads, transit encryption, short sessions. */
  HIPAA_MODE: bool.default(false),
  /** A session not refreshed for this long ends (0 = no idle limit; HIPAA mode requires one). */
  SESSION_IDLE_TIMEOUT_SECONDS: int(0, 31_536_000).default(0),
};
