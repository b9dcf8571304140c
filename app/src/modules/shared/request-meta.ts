import { Forbidden } from '../../shared/errors.js';

/** What services need to know about the caller's request, without knowing HTTP. */
export interface RequestMeta {
  readonly ip: string;
  readonly requestId: string;
  readonly userAgent: string | undefined;
}

interface Caller {
  readonly userId: string;
  readonly role: 'USER' | 'ADMIN';
}

/** A caller signed in with an access token, as the token says. */
export interface SessionPrincipal extends Caller {
  readonly via: 'session';
  readonly sessionId: string;
}

/** A caller presenting an API key: its owner, with the owner's role as it is now. */
export interface ApiKeyPrincipal extends Caller {
  readonly via: 'api-key';
  readonly apiKeyId: string;
}

/** The authenticated caller. */
export type Principal = SessionPrincipal | ApiKeyPrincipal;

/**
 * The caller's session, for what only a signed-in person may do (sessions, passwords, API keys): a leaked key
 * must never be able to mint more credentials or take the account over. The routes refuse keys first; this
 * keeps the services from ever acting on a key where a session is meant.
 */
export function sessionOf(principal: Principal): SessionPrincipal {
  if (principal.via !== 'session')
    throw new Forbidden('Only a signed-in session may do this, not an API key.');
  return principal;
}
