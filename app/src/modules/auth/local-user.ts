import type { User } from '../users/user.js';

/** Who requests without a token act as when AUTH_ENABLED=false (local tier only). */
export type LocalUser = Pick<User, 'id' | 'email' | 'role'>;

/**
 * The session id such a request carries: the nil UUID, which no session row has, so "log out" and "revoke my
 * other sessions" find nothing of its own to end.
 */
export const localSessionId = '00000000-0000-0000-0000-000000000000';

/** The claims the authenticate layer puts where a verified token's would be. */
export const localUserClaims = (user: LocalUser) => ({ sub: user.id, sid: localSessionId, role: user.role });
