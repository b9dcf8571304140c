import { z } from 'zod';
import { csv, int } from './env-types.js';

/** ISO 3166-1 alpha-2, as MaxMind's `country.iso_code` spells them: `de, fr` -> ['DE', 'FR']. */
const countryCodes = csv.pipe(
  z.array(
    z
      .string()
      .transform((code) => code.toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{2}$/, 'must be ISO 3166-1 alpha-2 country codes such as DE or FR')),
  ),
);

/** Variables of GeoIP blocking; spread into the one env schema. */
export const geoipEnv = {
  /** A MaxMind DB file with `country.iso_code` (GeoIP2/GeoLite2 Country or City); unset = no GeoIP layer. */
  GEOIP_DATABASE_PATH: z.string().min(1).optional(),
  /** Only these countries are served. Set this or GEOIP_DENY_COUNTRIES, never both. */
  GEOIP_ALLOW_COUNTRIES: countryCodes,
  /** These countries are refused; every other country is served. */
  GEOIP_DENY_COUNTRIES: countryCodes,
  /**
   * Addresses the database has no country for: private and loopback ranges (other pods, sidecars, a peer
   * that is not a trusted proxy's client) and public ranges not yet mapped. `allow` by default: refusing
   * them turns a stale database or a missing TRUSTED_PROXIES entry into an outage for internal callers.
   */
  GEOIP_UNKNOWN: z.enum(['allow', 'deny']).default('allow'),
  /**
   * How often the file's stat is checked for a replacement (a weekly geoipupdate, a new volume); a replaced
   * file that opens whole takes over, one that does not is logged and ignored. 0: never reloaded.
   */
  GEOIP_RELOAD_CHECK_MS: int(0, 86_400_000).default(60_000),
};

type GeoipEnv = {
  GEOIP_DATABASE_PATH?: string | undefined;
  GEOIP_ALLOW_COUNTRIES: string[];
  GEOIP_DENY_COUNTRIES: string[];
  GEOIP_UNKNOWN: 'allow' | 'deny';
  GEOIP_RELOAD_CHECK_MS: number;
};

/** Which countries are served: only those listed (`allow`), or all but those listed (`deny`). */
export type CountryPolicy = { readonly kind: 'allow' | 'deny'; readonly countries: readonly string[] };

export interface GeoipSettings {
  readonly databasePath: string;
  readonly policy: CountryPolicy;
  readonly unknown: 'allow' | 'deny';
  readonly reloadCheckMs: number;
}

/**
 * Both lists set is refused rather than given a precedence: each reading (allow wins, deny wins) surprises
 * someone, and the refusal costs one line of configuration to resolve. Lists without a database are refused
 * too: they would read as blocking while nothing is blocked.
 */
export function geoipProblems(env: GeoipEnv): string[] {
  const problems: string[] = [];
  if (env.GEOIP_ALLOW_COUNTRIES.length > 0 && env.GEOIP_DENY_COUNTRIES.length > 0) {
    problems.push(
      'GEOIP_ALLOW_COUNTRIES: set it or GEOIP_DENY_COUNTRIES, not both (an allow list already refuses every other country)',
    );
  }
  const listed = env.GEOIP_ALLOW_COUNTRIES.length > 0 || env.GEOIP_DENY_COUNTRIES.length > 0;
  if (listed && !env.GEOIP_DATABASE_PATH) {
    problems.push('GEOIP_DATABASE_PATH: required when GEOIP_ALLOW_COUNTRIES or GEOIP_DENY_COUNTRIES is set');
  }
  return problems;
}

/**
 * The GeoIP slice of the config; undefined when no database is set. With a database and no list every
 * country is served and only counted (and GEOIP_UNKNOWN still applies): how a list is measured before it
 * is turned on. Call only after `geoipProblems` found none.
 */
export function toGeoipSettings(env: GeoipEnv): GeoipSettings | undefined {
  if (!env.GEOIP_DATABASE_PATH) return undefined;
  return {
    databasePath: env.GEOIP_DATABASE_PATH,
    policy:
      env.GEOIP_ALLOW_COUNTRIES.length > 0
        ? { kind: 'allow', countries: env.GEOIP_ALLOW_COUNTRIES }
        : { kind: 'deny', countries: env.GEOIP_DENY_COUNTRIES },
    unknown: env.GEOIP_UNKNOWN,
    reloadCheckMs: env.GEOIP_RELOAD_CHECK_MS,
  };
}
