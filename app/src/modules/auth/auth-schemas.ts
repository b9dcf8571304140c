import { z } from 'zod';

const password = z.string().min(1).max(128);

/** JSON `{email, password}` or the OAuth2 password grant (`grant_type=password&username=…&password=…`). */
export const tokenRequest = z
  .strictObject({
    email: z.string().max(254).optional(),
    username: z.string().max(254).optional(),
    password,
    grant_type: z.literal('password').optional(),
    scope: z.string().max(200).optional(),
  })
  .refine((body) => body.email !== undefined || body.username !== undefined, {
    message: 'email (or username) is required',
    path: ['email'],
  })
  .transform((body) => ({ email: (body.email ?? body.username)!, password: body.password }))
  .meta({ id: 'TokenRequest' });

export const refreshRequest = z
  .strictObject({
    refresh_token: z.string().min(1).max(200),
    grant_type: z.literal('refresh_token').optional(),
  })
  .meta({ id: 'RefreshRequest' });

/** OAuth2 token response field names, so standard clients (and the docs page) understand it. */
export const tokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().meta({ description: 'Seconds until the access token expires' }),
    refresh_token: z.string(),
  })
  .meta({ id: 'TokenResponse' });

export const sessionResponse = z
  .object({
    id: z.uuid(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    current: z.boolean().meta({ description: 'True for the session of the token used for this request' }),
  })
  .meta({ id: 'Session' });

export const sessionIdParams = z.object({ id: z.uuid() });

export const jwksResponse = z
  .object({
    keys: z.array(z.looseObject({ kid: z.string(), kty: z.string(), alg: z.string(), use: z.string() })),
  })
  .meta({ id: 'JsonWebKeySet' });
