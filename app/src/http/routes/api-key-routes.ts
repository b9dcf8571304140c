import {
  apiKeyCreate,
  apiKeyCreated,
  apiKeyIdParams,
  apiKeyOwnerParams,
  apiKeyResponse,
} from '../../modules/api-keys/api-key-schemas.js';
import { type ApiKeyDeps, issueKey, listKeys, revokeKey } from '../../modules/api-keys/api-key-service.js';
import { type ApiRoute, route } from '../api/api-route.js';
import { apiPrefix } from './paths.js';

/** Keys are managed only from a signed-in session: a key can never create, list or revoke keys. */
export function apiKeyRoutes(deps: ApiKeyDeps): ApiRoute[] {
  const tag = 'api-keys';
  const keys = `${apiPrefix}/api-keys`;
  const usersKeys = `${apiPrefix}/users/{userId}/api-keys`;
  const common = { tag, sessionOnly: true } as const;
  return [
    route({
      ...common,
      method: 'post',
      path: keys,
      operationId: 'createApiKey',
      summary: 'Issue an API key for the caller; its secret is in this answer only',
      access: 'user',
      body: apiKeyCreate,
      carriesSecrets: true,
      success: { status: 201, description: 'The new key, with its secret', schema: apiKeyCreated },
      handle: ({ principal, body, meta }) => issueKey(deps, principal, principal.userId, body, meta),
    }),
    route({
      ...common,
      method: 'get',
      path: keys,
      operationId: 'listApiKeys',
      summary: "The caller's API keys, newest first (never their secrets)",
      access: 'user',
      success: { status: 200, description: 'API keys', schema: apiKeyResponse.array() },
      handle: ({ principal }) => listKeys(deps, principal, principal.userId),
    }),
    route({
      ...common,
      method: 'delete',
      path: `${keys}/{id}`,
      operationId: 'revokeApiKey',
      summary:
        'Revoke an API key (its owner, or an admin); refused from the next request on, on every replica',
      access: 'user',
      params: apiKeyIdParams,
      success: { status: 204, description: 'Revoked' },
      errors: [404],
      handle: ({ principal, params, meta }) => revokeKey(deps, principal, params.id, meta),
    }),
    route({
      ...common,
      method: 'post',
      path: usersKeys,
      operationId: 'createUserApiKey',
      summary: 'Issue an API key for a user (admin); its secret is in this answer only',
      access: 'admin',
      params: apiKeyOwnerParams,
      body: apiKeyCreate,
      carriesSecrets: true,
      success: { status: 201, description: 'The new key, with its secret', schema: apiKeyCreated },
      errors: [404, 409],
      handle: ({ principal, params, body, meta }) => issueKey(deps, principal, params.userId, body, meta),
    }),
    route({
      ...common,
      method: 'get',
      path: usersKeys,
      operationId: 'listUserApiKeys',
      summary: "A user's API keys, newest first (admin)",
      access: 'admin',
      params: apiKeyOwnerParams,
      success: { status: 200, description: 'API keys', schema: apiKeyResponse.array() },
      handle: ({ principal, params }) => listKeys(deps, principal, params.userId),
    }),
  ];
}
