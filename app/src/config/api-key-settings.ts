import { int } from './env-types.js';

/** Variables of API keys; spread into the one env schema. */
export const apiKeyEnv = {
  /** The longest lifetime a new API key may be given (its expiry is required and checked against this). */
  API_KEY_MAX_TTL_DAYS: int(1, 3650).default(365),
  /** Requests one API key may make per window, over every replica (its own bucket, beside the per-IP limit). */
  API_KEY_RATE_LIMIT_MAX: int(1, 1_000_000).default(600),
  API_KEY_RATE_LIMIT_WINDOW_MS: int(1000, 86_400_000).default(60_000),
};

export interface ApiKeySettings {
  readonly maxTtlDays: number;
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
}

export function toApiKeySettings(env: {
  API_KEY_MAX_TTL_DAYS: number;
  API_KEY_RATE_LIMIT_MAX: number;
  API_KEY_RATE_LIMIT_WINDOW_MS: number;
}): ApiKeySettings {
  return {
    maxTtlDays: env.API_KEY_MAX_TTL_DAYS,
    rateLimit: { max: env.API_KEY_RATE_LIMIT_MAX, windowMs: env.API_KEY_RATE_LIMIT_WINDOW_MS },
  };
}
