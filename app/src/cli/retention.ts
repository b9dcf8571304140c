// `npm run retention [-- --dry-run]` (image: `node dist/cli/retention.js`): one retention run now, as the worker's
// scheduled job runs it, with its report per table. --dry-run (or RETENTION_DRY_RUN=true) only counts.
import { parseArgs } from 'node:util';
import { formatReport, runRetention } from '../modules/retention/run-retention.js';
import { openCliDatabase, runCli } from './open-cli-database.js';

const { values: args } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });

async function main(): Promise<number> {
  const { cfg, uow, close } = await openCliDatabase();
  try {
    const report = await runRetention(uow.repos.retention, {
      settings: cfg.retention,
      dryRun: args['dry-run'] || cfg.retention.dryRun,
    });
    console.log(formatReport(report));
    return 0;
  } finally {
    await close();
  }
}

runCli('retention', main);
