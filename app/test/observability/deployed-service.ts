import { createTestDatabase } from '../support/databases.js';
import { startVaultFake } from '../support/vault-fake.js';
import { kubernetesLogin, putServiceSecrets, vaultEnv } from '../vault/vault-env.js';
import { startOtlpReceiver } from './otlp-receiver.js';
import { startTracedService } from './traced-service.js';

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

/**
 * The service as deployed, for searching what it emits: its secrets from Vault (the fake) after a Kubernetes
 * login, its own database (reached with a password trust auth ignores), traces exported to an OTLP receiver,
 * JSON logs at trace level.
 */
export async function startDeployedService(env: Record<string, string> = {}) {
  const fake = await startVaultFake();
  const database = await createTestDatabase();
  const receiver = await startOtlpReceiver();
  const login = kubernetesLogin(fake, { ttl: 600 });
  const { keys, databasePassword } = putServiceSecrets(fake, database.url);
  const service = await startTracedService({
    ...vaultEnv(fake, login.env),
    LOG_LEVEL: 'trace',
    LOG_FORMAT: 'json',
    REDIS_KEY_PREFIX: `test:${crypto.randomUUID()}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    ...env,
  });
  return {
    fake,
    database,
    receiver,
    login,
    keys,
    databasePassword,
    service,
    async close() {
      await fake.stop();
      await database.drop();
      await receiver.close();
    },
  };
}
