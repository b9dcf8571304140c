import { postgres, redis } from '../contract.js';
import { serviceHost } from './cluster-dns.js';

/**
 * Where the URLs the service reads from Vault point, credentials left out. The values written into Vault
 * (`secret/platform-api/<stage>`) must use these hosts and ports: the NetworkPolicy egress of the processes
 * that read them is derived from here.
 */
export const connectionAddresses = {
  /** Pooled (PgBouncer, transaction mode): the API and the worker. */
  DATABASE_URL: `postgresql://${serviceHost(postgres.pooler, postgres.namespace)}:${postgres.port}/${postgres.database}`,
  /** The primary (`-rw`), for migrations only: they hold a transaction-scoped advisory lock. */
  DATABASE_DIRECT_URL: `postgresql://${serviceHost(postgres.rwService, postgres.namespace)}:${postgres.port}/${postgres.database}`,
  REDIS_URL: `redis://${serviceHost(redis.service, redis.namespace)}:${redis.port}`,
} as const;
