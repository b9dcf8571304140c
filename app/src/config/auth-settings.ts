import { bool } from './env-types.js';

/** Variables of authentication as a whole; spread into the one env schema. */
export const authEnv = {
  /**
   * Local tier only (guardrails refuse it elsewhere): false lets a request without an Authorization header act
   * as the seeded admin (SEED_ADMIN_EMAIL), so every endpoint can be called from curl or the docs page at once.
   */
  AUTH_ENABLED: bool.default(true),
};
