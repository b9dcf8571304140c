import { generateSeedSecrets, vaultSeed } from '../../../app/src/cli/vault-seed.js';
import {
  ConfigError,
  loadConfig,
  readVaultSettings,
  SecretsUnavailable,
  withVaultSecrets,
} from '../../../app/src/config/index.js';
import { type ComposeFile, environmentOf } from './compose-file.js';

/**
 * The secrets the Vault dev server holds once vault-seed has run (compose/vault/seed-vault.sh): the seed
 * `keys:generate --stage dev` prints, then compose/vault/dev-secrets.json over it.
 */
export async function seededSecrets(devSecrets: Record<string, string>): Promise<Record<string, string>> {
  return { ...vaultSeed(await generateSeedSecrets('dev')), ...devSecrets };
}

/**
 * Whether a service running the app would start: its Compose environment, Vault's secrets layered on by the
 * app's own code (required keys checked), then the app's one schema and its guardrails for the tier.
 */
export async function startProblems(
  compose: ComposeFile,
  serviceName: string,
  secrets: Record<string, string>,
): Promise<string[]> {
  const service = compose.services[serviceName];
  if (!service) return [`${serviceName}: not a service`];
  const raw = environmentOf(service);
  try {
    const settings = readVaultSettings(raw);
    if (!settings) return loadConfig(raw) && [];
    const source = { location: `${settings.kv.mount}/${settings.kv.path}`, read: async () => secrets };
    const { env } = await withVaultSecrets(raw, source, settings);
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${serviceName}: ${problem}`);
    if (error instanceof SecretsUnavailable) return [`${serviceName}: ${error.message}`];
    throw error;
  }
}
