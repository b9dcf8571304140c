// `npm run keys:generate -- --stage <stage> [--format json]` (image: `node dist/cli/generate-keys.js`).
// Prints a fresh Vault seed for one stage: the database owner's and runtime role's passwords and the URLs built
// from them, the Redis password, and a JWT signing key. As a `vault kv put` line (default) or as JSON for
// `vault kv put -mount=secret platform-api/<stage> -`. `vault kv put` replaces the whole secret: seed once, and
// rotate deliberately (docs/secrets.md). Nothing is written to disk.
import { parseArgs } from 'node:util';
import { generateSeedSecrets, type SeedStage, seedLocation, seedStages, vaultSeed } from './vault-seed.js';

const { values: args } = parseArgs({
  options: {
    stage: { type: 'string' },
    format: { type: 'string', default: 'command' },
  },
});

/** One shell word: single-quoted (JSON keys contain no single quote, but quote one safely anyway). */
const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

async function main(): Promise<number> {
  const stage = args.stage as SeedStage | undefined;
  if (!stage || !seedStages.includes(stage) || !['command', 'json'].includes(args.format ?? '')) {
    console.error(`usage: keys:generate --stage ${seedStages.join('|')} [--format command|json]`);
    return 64; // EX_USAGE
  }
  const values = vaultSeed(await generateSeedSecrets(stage));
  if (args.format === 'json') {
    console.log(JSON.stringify(values, null, 2));
    return 0;
  }
  const { mount, path } = seedLocation(stage);
  const pairs = Object.entries(values).map(([key, value]) => `  ${key}=${shellQuote(value)}`);
  console.log([`vault kv put -mount=${mount} ${path}`, ...pairs].join(' \\\n'));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`keys:generate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
