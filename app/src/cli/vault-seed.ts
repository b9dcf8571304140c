import { randomBytes } from 'node:crypto';
import { generateSigningKeySet } from '../modules/auth/dev-keys.js';

/** The four stages; each has its own KV secret, `<mount>/platform-api/<stage>`. */
export const seedStages = ['local', 'dev', 'staging', 'prod'] as const;
export type SeedStage = (typeof seedStages)[number];

/** Where the chart points the service (VAULT_KV_MOUNT, VAULT_KV_PATH) and the platform reads the database password. */
export const seedLocation = (stage: SeedStage) => ({ mount: 'secret', path: `platform-api/${stage}` });

/**
 * In-cluster addresses of the databases the service reaches, as the platform names them (charts/src/contract.ts:
 * the CloudNativePG Pooler and `-rw` Service in namespace `postgres`, Redis's master Service in `redis`). The
 * rehearsal compares them with the addresses the platform program reports.
 */
const addresses = {
  pooled: 'platform-db-pooler.postgres.svc.cluster.local:5432',
  direct: 'platform-db-rw.postgres.svc.cluster.local:5432',
  redis: 'redis-master.redis.svc.cluster.local:6379',
  database: 'app',
  owner: 'app',
  /** The role the service logs in as (migration 20261204120000_runtime_role; a CloudNativePG managed role). */
  runtime: 'platform_api_runtime',
} as const;

/** The secret values one stage's seed is made of; generated fresh by `generateSeedSecrets`. */
export interface SeedSecrets {
  /** The owner's (migrations, DATABASE_DIRECT_URL). */
  databasePassword: string;
  /** The runtime role's (the service, DATABASE_URL). */
  databaseRuntimePassword: string;
  redisPassword: string;
  /** JSON array of private JWKs (JWT_SIGNING_KEYS). */
  signingKeys: string;
  activeKid: string;
}

/**
 * Every Vault value the service needs in a cluster, for one stage. Each database role's password is one Vault
 * key, which the platform syncs into the Secret CloudNativePG creates that role with: the owner's
 * (DATABASE_PASSWORD) is in DATABASE_DIRECT_URL, which only migrations use; the runtime role's
 * (DATABASE_RUNTIME_PASSWORD) is in DATABASE_URL, the service's, so the service cannot alter what it does not
 * own (the audit table's trigger). REDIS_URL has no password: the service writes REDIS_PASSWORD (the key Redis
 * itself is given) into it.
 */
export function vaultSeed(secrets: SeedSecrets) {
  const owner = `${addresses.owner}:${secrets.databasePassword}`;
  const runtime = `${addresses.runtime}:${secrets.databaseRuntimePassword}`;
  return {
    DATABASE_PASSWORD: secrets.databasePassword,
    DATABASE_RUNTIME_PASSWORD: secrets.databaseRuntimePassword,
    DATABASE_URL: `postgresql://${runtime}@${addresses.pooled}/${addresses.database}`,
    DATABASE_DIRECT_URL: `postgresql://${owner}@${addresses.direct}/${addresses.database}`,
    REDIS_URL: `redis://${addresses.redis}`,
    REDIS_PASSWORD: secrets.redisPassword,
    JWT_SIGNING_KEYS: secrets.signingKeys,
    JWT_ACTIVE_KID: secrets.activeKid,
  };
}

/** URL-safe, so it goes into a connection URL as it is: 32 random bytes, base64url. */
const password = () => randomBytes(32).toString('base64url');

/** Fresh passwords and a fresh ES256 signing key whose kid names the stage and the day. */
export async function generateSeedSecrets(stage: SeedStage, now = new Date()): Promise<SeedSecrets> {
  const kid = `${stage}-${now.toISOString().slice(0, 10)}`;
  const keys = await generateSigningKeySet(kid);
  return {
    databasePassword: password(),
    databaseRuntimePassword: password(),
    redisPassword: password(),
    signingKeys: JSON.stringify(keys.keys),
    activeKid: keys.activeKid,
  };
}

/** Placeholders the documentation shows instead of generated values. */
export const placeholderSecrets: SeedSecrets = {
  databasePassword: '<database-password>',
  databaseRuntimePassword: '<database-runtime-password>',
  redisPassword: '<redis-password>',
  signingKeys: '<jwt-signing-keys>',
  activeKid: '<jwt-active-kid>',
};
