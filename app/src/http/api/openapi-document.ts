import { STATUS_CODES } from 'node:http';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { type ApiRoute, keyScopeOf } from './api-route.js';
import { problemSchema } from './problem-schema.js';

/** The problem statuses an operation can answer with, derived from its contract. */
export function errorStatuses(route: ApiRoute): number[] {
  const statuses = new Set([400, 429, 500, ...(route.errors ?? [])]);
  if (route.params || route.query || route.body) statuses.add(422);
  // 403 also for an API key without the scope, or on an operation keys may not call.
  if (route.access !== 'public') statuses.add(401).add(403);
  return [...statuses].sort((a, b) => a - b);
}

/**
 * Either credential where keys are allowed. OpenAPI 3.1 lets a non-OAuth scheme list the roles it needs: the
 * apiKey requirement names the key scope, so generated clients and readers see it per operation.
 */
function security(route: ApiRoute): Record<string, string[]>[] {
  if (route.access === 'public') return [];
  const scope = keyScopeOf(route);
  return scope ? [{ bearer: [] }, { apiKey: [scope] }] : [{ bearer: [] }];
}

function operation(route: ApiRoute): ZodOpenApiOperationObject {
  const problem = { content: { 'application/problem+json': { schema: problemSchema } } };
  const responses: Record<string, ZodOpenApiResponseObject> = {
    [route.success.status]: {
      description: route.success.description,
      ...(route.success.schema ? { content: { 'application/json': { schema: route.success.schema } } } : {}),
    },
  };
  for (const status of errorStatuses(route))
    responses[status] = { description: STATUS_CODES[status] ?? 'Error', ...problem };
  const bodyTypes = route.acceptsForm
    ? ['application/json', 'application/x-www-form-urlencoded']
    : ['application/json'];
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    // Explicit on every operation: an empty list says "public" on purpose, where a missing one could be an
    // operation someone forgot to protect (linters flag the missing ones).
    security: security(route),
    requestParams: {
      ...(route.params ? { path: route.params as never } : {}),
      ...(route.query ? { query: route.query as never } : {}),
    },
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(bodyTypes.map((type) => [type, { schema: route.body as never }])),
          },
        }
      : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}

/** OpenAPI 3.1, generated from the same route objects the router serves. */
export function openApiDocument(routes: readonly ApiRoute[], info: { title: string; version: string }) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) paths[route.path] = { ...paths[route.path], [route.method]: operation(route) };
  return createDocument({
    openapi: '3.1.0',
    info: { ...info, description: 'Errors are application/problem+json (RFC 9457); see docs/problems.md.' },
    // Relative: the origin that served this document, whichever stage or port that is (paths carry /api/v1).
    servers: [{ url: '/', description: 'This service' }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'POST /api/v1/auth/token',
        },
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description:
            'POST /api/v1/api-keys (from a session). Each operation lists the scope a key needs; never sent with a bearer token.',
        },
      },
    },
  });
}
