import { type ComposeFile, environmentOf } from './compose-file.js';

/** The files that must agree on every development password and address (see compose/README.md). */
export interface SecretFiles {
  devSecrets: Record<string, string>;
  initRolesSql: string;
  pgbouncerUserlist: string;
  seedScript: string;
}

const sqlPassword = (sql: string, role: string) =>
  new RegExp(`CREATE ROLE ${role} LOGIN PASSWORD '([^']*)'`).exec(sql)?.[1];
const userlistPassword = (userlist: string, role: string) =>
  new RegExp(`^"${role}" "([^"]*)"$`, 'm').exec(userlist)?.[1];

/**
 * What the files of compose/ must agree on for the stack to connect: each URL in Vault points at a service of
 * compose.yaml with the password PostgreSQL, PgBouncer and Valkey were given; the service reads Vault with the
 * dev server's token at the path vault-seed writes; the seed script only reads variables it is given.
 */
export function agreementProblems(compose: ComposeFile, files: SecretFiles): string[] {
  const problems: string[] = [];
  const { devSecrets } = files;
  const expect = (what: string, actual: string | undefined, wanted: string | undefined) => {
    if (actual !== wanted) problems.push(`${what}: ${actual ?? '(none)'}, expected ${wanted ?? '(none)'}`);
  };

  for (const key of ['DATABASE_URL', 'DATABASE_DIRECT_URL', 'REDIS_URL']) {
    const value = devSecrets[key];
    if (!value) {
      problems.push(`dev-secrets.json: no ${key}`);
      continue;
    }
    const host = new URL(value).hostname;
    if (!compose.services[host]) problems.push(`dev-secrets.json: ${key} points at "${host}", not a service`);
  }
  const pooled = devSecrets.DATABASE_URL ? new URL(devSecrets.DATABASE_URL) : undefined;
  const direct = devSecrets.DATABASE_DIRECT_URL ? new URL(devSecrets.DATABASE_DIRECT_URL) : undefined;
  expect('DATABASE_URL password', pooled?.password, devSecrets.DATABASE_RUNTIME_PASSWORD);
  expect('DATABASE_DIRECT_URL password', direct?.password, devSecrets.DATABASE_PASSWORD);
  if (pooled) {
    expect(
      'init-roles.sql runtime role password',
      sqlPassword(files.initRolesSql, pooled.username),
      pooled.password,
    );
    expect(
      'userlist.txt runtime role password',
      userlistPassword(files.pgbouncerUserlist, pooled.username),
      pooled.password,
    );
  }
  if (direct)
    expect(
      'init-roles.sql owner password',
      sqlPassword(files.initRolesSql, direct.username),
      direct.password,
    );

  const redisCommand = compose.services.redis?.command;
  const requirepass = Array.isArray(redisCommand)
    ? redisCommand[redisCommand.indexOf('--requirepass') + 1]
    : undefined;
  expect('redis --requirepass', requirepass, devSecrets.REDIS_PASSWORD);

  const vault = environmentOf(compose.services.vault ?? {});
  const seed = environmentOf(compose.services['vault-seed'] ?? {});
  for (const app of ['api', 'worker', 'migrate']) {
    const env = environmentOf(compose.services[app] ?? {});
    expect(`${app} VAULT_TOKEN`, env.VAULT_TOKEN, vault.VAULT_DEV_ROOT_TOKEN_ID);
    expect(`${app} VAULT_KV_MOUNT`, env.VAULT_KV_MOUNT, seed.KV_MOUNT);
    expect(`${app} VAULT_KV_PATH`, env.VAULT_KV_PATH, seed.KV_PATH);
    expect(`${app} VAULT_TRANSIT_MOUNT`, env.VAULT_TRANSIT_MOUNT, seed.TRANSIT_MOUNT);
    expect(`${app} VAULT_TRANSIT_KEY`, env.VAULT_TRANSIT_KEY, seed.TRANSIT_KEY);
  }
  expect('vault-seed VAULT_TOKEN', seed.VAULT_TOKEN, vault.VAULT_DEV_ROOT_TOKEN_ID);

  // `set -u`: a variable the script reads and the service does not set stops the seed.
  const read = new Set([...files.seedScript.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]!));
  for (const name of read) {
    if (!(name in seed)) problems.push(`seed-vault.sh reads $${name}, which vault-seed does not set`);
  }
  return problems;
}
