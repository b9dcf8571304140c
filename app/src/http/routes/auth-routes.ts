import {
  jwksResponse,
  refreshRequest,
  sessionIdParams,
  sessionResponse,
  tokenRequest,
  tokenResponse,
} from '../../modules/auth/auth-schemas.js';
import {
  type AuthDeps,
  listSessions,
  login,
  logout,
  refresh,
  revokeSession,
} from '../../modules/auth/auth-service.js';
import { type ApiRoute, route } from '../api/api-route.js';
import { apiPrefix } from './paths.js';

const asTokenResponse = (pair: { accessToken: string; refreshToken: string; expiresIn: number }) => ({
  access_token: pair.accessToken,
  token_type: 'Bearer' as const,
  expires_in: pair.expiresIn,
  refresh_token: pair.refreshToken,
});

export function authRoutes(deps: AuthDeps): ApiRoute[] {
  const tag = 'auth';
  return [
    route({
      method: 'post',
      path: `${apiPrefix}/auth/token`,
      operationId: 'login',
      carriesSecrets: true,
      summary: 'Log in with email and password: a new session (device) and its token pair',
      tag,
      access: 'public',
      body: tokenRequest,
      acceptsForm: true,
      success: { status: 200, description: 'Access and refresh token', schema: tokenResponse },
      errors: [401],
      handle: async ({ body, meta }) => asTokenResponse(await login(deps, body, meta)),
    }),
    route({
      method: 'post',
      path: `${apiPrefix}/auth/refresh`,
      operationId: 'refreshTokens',
      carriesSecrets: true,
      summary: 'Rotate the refresh token: the presented one dies, a new pair is issued',
      tag,
      access: 'public',
      body: refreshRequest,
      acceptsForm: true,
      success: { status: 200, description: 'New access and refresh token', schema: tokenResponse },
      errors: [401],
      handle: async ({ body, meta }) => asTokenResponse(await refresh(deps, body.refresh_token, meta)),
    }),
    route({
      method: 'post',
      path: `${apiPrefix}/auth/logout`,
      operationId: 'logout',
      summary: 'End the current session; its tokens stop working at once',
      tag,
      access: 'user',
      success: { status: 204, description: 'Logged out' },
      handle: ({ principal, meta }) => logout(deps, principal, meta),
    }),
    route({
      method: 'get',
      path: `${apiPrefix}/auth/sessions`,
      operationId: 'listSessions',
      summary: "The caller's live sessions, one per device",
      tag,
      access: 'user',
      success: { status: 200, description: 'Live sessions', schema: sessionResponse.array() },
      handle: ({ principal }) => listSessions(deps, principal),
    }),
    route({
      method: 'delete',
      path: `${apiPrefix}/auth/sessions/{id}`,
      operationId: 'revokeSession',
      summary: "Revoke one of the caller's sessions",
      tag,
      access: 'user',
      params: sessionIdParams,
      success: { status: 204, description: 'Revoked' },
      errors: [404],
      handle: ({ principal, params, meta }) => revokeSession(deps, principal, params.id, meta),
    }),
    route({
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'jwks',
      summary: 'Public keys that verify access tokens (for the mesh and other services)',
      tag,
      access: 'public',
      success: { status: 200, description: 'JSON Web Key Set', schema: jwksResponse },
      handle: () => deps.keys.jwks(),
    }),
  ];
}
