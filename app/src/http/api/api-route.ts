import type { z } from 'zod';
import type { ProtectedTable } from '../../adapters/crypto/protected-fields.js';
import { type ApiKeyScope, scopeFor } from '../../modules/api-keys/api-key-scopes.js';
import type { Principal, RequestMeta } from '../../modules/shared/request-meta.js';

export type Access = 'public' | 'user' | 'admin';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodObject<z.ZodRawShape>;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, B, A extends Access> {
  readonly params: Out<P>;
  readonly query: Out<Q>;
  readonly body: Out<B>;
  readonly principal: A extends 'public' ? Principal | undefined : Principal;
  readonly meta: RequestMeta;
}

/**
 * One API operation: its contract (zod schemas, access, documented errors) and its handler. The same object
 * registers the Koa route and its OpenAPI operation, so the document cannot drift from what is served.
 */
export interface ApiRoute<P = unknown, Q = unknown, B = unknown, A extends Access = Access> {
  readonly method: Method;
  /** OpenAPI path template, e.g. `/api/v1/items/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: A;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /**
   * Not for the public: a request that came through a proxy (the gateway adds Forwarded or X-Forwarded-For)
   * gets the same 404 as an unknown path. Probes (the kubelet, the mesh agent) call the pod directly.
   */
  readonly internal?: boolean;
  /**
   * The success body holds secrets (tokens): never compressed, whatever its size. Compressed beside anything
   * an attacker can put in the same response, its length would reveal them a byte at a time (BREACH).
   */
  readonly carriesSecrets?: boolean;
  /**
   * The success body holds records of this table, whose personal fields (adapters/crypto/protected-fields.ts)
   * HIPAA mode audits before the body is sent.
   */
  readonly discloses?: ProtectedTable;
  /**
   * Only a signed-in session may call it, never an API key, whatever the key's scopes (passwords, sessions,
   * API keys themselves: a leaked key must not mint credentials or take the account over).
   */
  readonly sessionOnly?: boolean;
  /** Also accept the body as application/x-www-form-urlencoded (OAuth2 token endpoint). */
  readonly acceptsForm?: boolean;
  readonly success: { readonly status: number; readonly description: string; readonly schema?: z.ZodType };
  /** Problem statuses this operation answers with, besides those every operation may (400, 429, 500). */
  readonly errors?: readonly number[];
  readonly handle: (input: RouteInput<P, Q, B, A>) => unknown;
}

/** Keeps the handler's input typed from the route's own schemas. */
export function route<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  A extends Access = Access,
>(definition: ApiRoute<P, Q, B, A>): ApiRoute {
  return definition as unknown as ApiRoute;
}

/** The scope an API key needs for this route; undefined when keys may not call it (or it is public). */
export const keyScopeOf = (route: ApiRoute): ApiKeyScope | undefined =>
  route.access === 'public' || route.sessionOnly ? undefined : scopeFor(route);
