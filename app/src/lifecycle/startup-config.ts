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
    if (!(error instanceof ConfigError) && !(error instanceof SecretsUnavailable)) throw error;
    console.error(error.message);
    process.exit(error instanceof SecretsUnavailable ? error.exitCode : 78);
  }
}
