import { loadStartupConfig } from '../adapters/vault/startup-config.js';
import { ConfigError, SecretsUnavailable, withDotEnv } from '../config/index.js';

/**
 * For process entries (the API and the worker) only: the configuration from defaults < .env < environment <
 * Vault, or exit with one clear message when it cannot start (78 = EX_CONFIG; Vault outages carry their own code).
 */
export async function startupConfigOrExit() {
  try {
    return await loadStartupConfig(withDotEnv(process.env, '.env'), {
      onRetry: (line) => console.error(line),
    });
  } catch (error) {
    if (!(error instanceof SecretsUnavailable)) return exitOnConfigError(error);
    console.error(error.message);
    process.exit(error.exitCode);
  }
}

/**
 * A configuration mistake found only when what it names is opened (a GeoIP database path that is not an
 * mmdb file) ends the process as one found while parsing does: its lines on stderr, exit code 78.
 */
export function exitOnConfigError(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(78);
}
