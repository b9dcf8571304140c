// `npm run policy -- --env <env> [--env <env> ...] [--dir <charts/dist>]`: gate 2, the rule set over the
// synthesized manifests. Exit 0 when every environment passes, 1 on violations, 2 on bad input.
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Stage, stages } from '@platform/charts/contract';
import { evaluate } from '../engine/evaluate.js';
import { formatReport } from '../engine/report.js';
import { rules } from '../rules/index.js';
import { ManifestError, readManifestDirectory } from '../sources/manifest-files.js';

const defaultDist = fileURLToPath(new URL('../../../charts/dist', import.meta.url));

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { env: { type: 'string', multiple: true }, dir: { type: 'string' } },
  });
  const envs = values.env ?? [];
  const unknown = envs.filter((env) => !isStage(env));
  if (envs.length === 0 || unknown.length > 0) {
    console.error(`usage: policy --env <${stages.join('|')}> [--env ...] [--dir <dist directory>]`);
    if (unknown.length > 0) console.error(`unknown environment: ${unknown.join(', ')}`);
    return 2;
  }
  const dist = values.dir ?? defaultDist;
  let failed = false;
  for (const env of envs.filter(isStage)) {
    const directory = join(dist, env);
    const { objects, fileOf } = await readManifestDirectory(directory);
    const findings = evaluate(rules, objects, { stage: env });
    // npm runs workspace scripts from the workspace; show paths from where the command was typed.
    const title = `${env} (${relative(process.env.INIT_CWD ?? process.cwd(), directory) || directory})`;
    console.log(
      formatReport({ title, rules, objectCount: objects.length, findings, locate: (o) => fileOf.get(o) }),
    );
    failed ||= findings.length > 0;
  }
  return failed ? 1 : 0;
}

/** node:util parseArgs reports unknown or malformed options with ERR_PARSE_ARGS_* codes. */
function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

function isStage(value: string): value is Stage {
  return (stages as readonly string[]).includes(value);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ManifestError || isArgumentError(error) ? error.message : error);
    process.exitCode = 2;
  },
);
