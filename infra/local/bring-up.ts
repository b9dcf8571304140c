/**
 * The platform engineer's first local bring-up, and its teardown, as one command each:
 *
 *   npm run up:local              prerequisites → kind → Vault → secrets → image → pulumi up → skaffold dev
 *   npm run up:local -- --no-dev  the same, ending with `skaffold run` (what the e2e workflow does)
 *   npm run up:local -- --plan    print the steps and stop
 *   npm run down:local            remove the cluster and the local stack's state
 *
 * Every step is safe to run again: Terraform and Pulumi converge, and the secrets are written only once.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runSteps } from './run-steps.js';
import { CommandFailed, Shell } from './shell.js';
import { downSteps, localVault, upSteps } from './steps.js';
import { checkTools } from './tools.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'no-dev': { type: 'boolean' }, plan: { type: 'boolean' } },
  });
  const direction = positionals[0] === 'down' ? 'down' : 'up';
  const steps = direction === 'down' ? downSteps() : upSteps({ dev: !values['no-dev'] });
  const log = (line: string) => console.log(line);

  if (values.plan) {
    for (const [index, step] of steps.entries()) log(`${index + 1}. ${step.title}`);
    return;
  }

  const statuses = checkTools();
  for (const status of statuses)
    log(
      status.problem ? `  missing  ${status.problem}` : `  ok       ${status.tool.command} ${status.version}`,
    );
  const problems = statuses.filter((status) => status.problem);
  if (problems.length > 0) {
    console.error(`\n${problems.length} prerequisite(s) missing or too old; nothing was changed.`);
    process.exitCode = 1;
    return;
  }

  const env = {
    ...process.env,
    VAULT_ADDR: process.env.VAULT_ADDR ?? localVault.address,
    VAULT_TOKEN: process.env.VAULT_TOKEN ?? localVault.token,
    // A laptop stack's secrets need no passphrase unless you set one.
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? '',
  };
  const sh = new Shell(root, env, log);
  try {
    await runSteps(steps, sh, log);
  } catch (error) {
    sh.stopBackground();
    if (!(error instanceof CommandFailed)) throw error;
    console.error(`\n${error.message}. Fix it and run the same command again: finished steps are kept.`);
    process.exitCode = 1;
  }
}

await main();
