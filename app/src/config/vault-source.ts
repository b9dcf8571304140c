import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { ConfigError, type RawEnv } from './load-config.js';
import { tierAliases, tierDefaults } from './tiers.js';
import { toVaultSettings, type VaultSettings, vaultEnvSchema, vaultProblems } from './vault-settings.js';

/**
 * The Vault layer of the configuration. Precedence: tier defaults < .env < environment < Vault. KV keys are
 * configuration variable names (`DATABASE_URL`, `JWT_SIGNING_KEYS`, ...), so a value moves between layers
 * without a mapping table; `REDIS_PASSWORD` is the one exception, written into `REDIS_URL`.
 */

/** Where the secrets are read from; adapters/vault implements it over Vault KV v2. */
export interface SecretSource {
  /** Where the secrets live, for messages (`secret/data/platform-api/prod`); never a value. */
  readonly location: string;
  read(): Promise<Readonly<Record<string, string>>>;
}

/** Start cannot go on without Vault's secrets. Its message is the one line the process prints before exiting. */
export class SecretsUnavailable extends Error {
  override name = 'SecretsUnavailable';
  constructor(
    message: string,
    /** 69 (EX_UNAVAILABLE) when Vault did not answer, 78 (EX_CONFIG) when it lacks a required secret. */
    readonly exitCode: 69 | 78,
  ) {
    super(message);
  }
}

/** The Vault settings alone, read before anything else so that Vault can supply the rest. */
export function readVaultSettings(raw: RawEnv): VaultSettings | undefined {
  const tier = tierAliases[(raw.APP_ENV ?? 'local').trim().toLowerCase()];
  // An unknown tier is reported by loadConfig, with every other problem.
  if (!tier || !raw.VAULT_ADDR) return undefined;
  const given = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = vaultEnvSchema.safeParse({ ...tierDefaults[tier], ...given });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const problems = vaultProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return toVaultSettings(parsed.data);
}

export interface StartupOptions {
  /** Told about each failed attempt that will be retried (one line, no secret values). */
  onRetry?(line: string): void;
  /** First backoff delay; later ones grow exponentially (with jitter) up to 8 s. */
  initialDelayMs?: number;
}

/**
 * Reads the secrets once at start and layers them over `raw`. Tries `settings.startAttempts` times with
 * exponential backoff (dev waits for a Vault that is still starting; staging and prod try once and fail fast),
 * then checks that every required key has a value.
 */
export async function withVaultSecrets(
  raw: RawEnv,
  source: SecretSource,
  settings: VaultSettings,
  options: StartupOptions = {},
): Promise<{ env: RawEnv; secrets: Readonly<Record<string, string>> }> {
  const attempts = settings.startAttempts;
  const policy = retry(handleAll, {
    maxAttempts: attempts - 1,
    backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 500, maxDelay: 8000 }),
  });
  policy.onRetry(({ delay, attempt, ...reason }) => {
    const why = 'error' in reason ? reason.error.message : 'no answer';
    options.onRetry?.(`${why}; retry ${attempt}/${attempts - 1} in ${Math.round(delay)} ms`);
  });
  let secrets: Readonly<Record<string, string>>;
  try {
    secrets = await policy.execute(() => source.read());
  } catch (error) {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    throw new SecretsUnavailable(
      `vault: cannot read secrets from ${source.location} (${tries}): ${(error as Error).message}`,
      69,
    );
  }
  const env = withSecrets(raw, secrets);
  const missing = settings.kv.required.filter((key) => !env[key]);
  if (missing.length > 0) {
    throw new SecretsUnavailable(
      `vault: ${source.location} has no ${missing.join(', ')} (required in this tier, and not set otherwise)`,
      78,
    );
  }
  return { env, secrets };
}

/** Vault's values win over every other layer. */
export function withSecrets(raw: RawEnv, secrets: Readonly<Record<string, string>>): RawEnv {
  const { REDIS_PASSWORD: redisPassword, ...rest } = secrets;
  const env: Record<string, string | undefined> = { ...raw, ...rest };
  if (redisPassword && env.REDIS_URL) env.REDIS_URL = withPassword(env.REDIS_URL, redisPassword);
  return env;
}

function withPassword(url: string, password: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = password;
    return parsed.toString();
  } catch {
    return url; // loadConfig reports the malformed URL (without echoing it)
  }
}
