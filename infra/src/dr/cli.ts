import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { loadStageConfig, readStackFile } from '../config/index.js';
import { type DrillResult, runDrill } from './drill.js';
import { Kubectl } from './kubectl.js';

const usage = `usage: npm run dr:drill -w infra -- --stage <staging|prod> [--target-time <RFC 3339>]
       [--server-name <folder>] [--context <kube context>] [--timeout <minutes>] [--keep]

Restores the stage's backups into a throwaway Cluster in a scratch namespace, verifies the data, prints the
measured RPO and RTO, and deletes the namespace. Exit 1 when a check fails. Needs kubectl and the stage's
context; see docs/runbooks/restore-from-backup.md.`;

function print(result: DrillResult): void {
  const table = new Table({ head: ['check', 'result', 'detail'] });
  for (const check of result.verification.checks)
    table.push([check.name, check.ok ? 'ok' : 'FAILED', check.detail]);
  console.log(table.toString());
  const counts = new Table({ head: ['table', 'rows'] });
  for (const [name, rows] of Object.entries(result.verification.rowCounts)) counts.push([name, rows]);
  console.log(counts.toString());
  const { objectives } = result;
  console.log(
    [
      `latest migration   ${result.verification.latestMigration ?? 'none'}`,
      `target time        ${objectives.targetTime.toISOString()}`,
      `last restored      ${objectives.lastRestoredCommit?.toISOString() ?? 'unknown'}`,
      `RPO (measured)     ${objectives.rpoSeconds === null ? 'unknown' : `${objectives.rpoSeconds.toFixed(1)} s`}`,
      `RTO (measured)     ${objectives.rtoSeconds.toFixed(1)} s`,
      `verification       ${result.verification.ok ? 'passed' : 'FAILED'}`,
    ].join('\n'),
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string' },
      'target-time': { type: 'string' },
      'server-name': { type: 'string' },
      context: { type: 'string' },
      timeout: { type: 'string', default: '60' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.stage) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const targetTime = values['target-time'];
  if (targetTime !== undefined && Number.isNaN(Date.parse(targetTime))) {
    console.error(`--target-time ${targetTime}: expected an RFC 3339 time such as 2026-12-05T07:00:00Z`);
    return 2;
  }
  const config = loadStageConfig(values.stage);
  const context = values.context ?? String(readStackFile(values.stage)['kubernetes:context'] ?? '');
  if (!context) {
    console.error(`no kube context: pass --context or set kubernetes:context in Pulumi.${values.stage}.yaml`);
    return 2;
  }
  const result = await runDrill({
    config,
    kubectl: new Kubectl(context),
    targetTime,
    serverName: values['server-name'],
    namespace: `restore-drill-${Date.now().toString(36)}`,
    readyTimeoutSeconds: Number(values.timeout) * 60,
    keep: values.keep,
    log: (line) => console.error(`dr:drill: ${line}`),
  });
  print(result);
  return result.verification.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`dr:drill failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
