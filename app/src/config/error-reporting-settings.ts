import { z } from 'zod';
import type { Tier } from './tiers.js';

/**
 * A Sentry DSN names the project's public key and id: `https://<public key>@<host>/<project id>`. The SDK
 * silently turns itself off on anything else, so a malformed one is refused at start instead.
 */
const sentryDsn = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).refine(
  (value) => {
    const url = new URL(value);
    return url.username !== '' && url.password === '' && /\/[^/]+$/.test(url.pathname);
  },
  { error: 'must be a Sentry DSN: http(s)://<public key>@<host>/<project id>' },
);

/** Variables of error reporting; spread into the one env schema. */
export const errorReportingEnv = {
  /** Unset: no error reporting, and the Sentry SDK is never loaded. */
  SENTRY_DSN: sentryDsn.optional(),
  /** The environment events are filed under. Default: the tier (local, dev, staging, prod). */
  SENTRY_ENVIRONMENT: z.string().min(1).optional(),
  /** Share of error events sent (Sentry's `sampleRate`); 1 sends every one. */
  SENTRY_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
};

export interface ErrorReportingSettings {
  readonly dsn: string;
  readonly environment: string;
  readonly release: string;
  readonly sampleRate: number;
}

export function toErrorReportingSettings(env: {
  APP_ENV: Tier;
  APP_VERSION: string;
  SENTRY_DSN?: string | undefined;
  SENTRY_ENVIRONMENT?: string | undefined;
  SENTRY_SAMPLE_RATE: number;
}): ErrorReportingSettings | undefined {
  if (!env.SENTRY_DSN) return undefined;
  return {
    dsn: env.SENTRY_DSN,
    environment: env.SENTRY_ENVIRONMENT ?? env.APP_ENV,
    release: env.APP_VERSION,
    sampleRate: env.SENTRY_SAMPLE_RATE,
  };
}
