import { type Stage, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { formatFindings } from './findings.js';
import { rehearse } from './rehearse.js';
import { runStage } from './run-stage.js';
import { readDocumentedSeed } from './secrets/documented-seed.js';

/** Digest stages get one the way the deploy passes it (`pulumi up --config app:imageDigest=...`). */
const deployConfig = (stage: Stage): Record<string, string> =>
  stage === 'local' ? {} : { 'app:imageDigest': `sha256:${'ab'.repeat(32)}` };

const seeds = readDocumentedSeed();

// The rehearsal of each stage's first `pulumi up`: the program started exactly as the Node.js language host
// starts it (language-host/), and everything it would create checked against the pinned tools' own rules.
describe.each(stages)('first deploy of %s, rehearsed', (stage) => {
  const run = () => runStage(stage, { config: deployConfig(stage) });

  it('the language host starts the program and it registers the platform without an error', async () => {
    const { exitCode, errors, stderr } = await run();
    expect({ exitCode, errors }, stderr).toEqual({ exitCode: 0, errors: [] });
  }, 300_000);

  it('nothing it registers would be rejected by the tools that apply it', async () => {
    const { resources, outputs = {} } = await run();
    const rehearsal = rehearse(resources, {
      seed: seeds[stage],
      databaseHosts: {
        pooled: String(outputs.databasePooledHost),
        direct: String(outputs.databaseDirectHost),
      },
    });
    const report = Object.entries(rehearsal)
      .filter(([, findings]) => findings.length > 0)
      .map(([check, findings]) => `${check}:\n${formatFindings(findings)}`)
      .join('\n');
    expect(report).toBe('');
    // Every check saw something to judge in this stage (none can pass on an empty input).
    expect(resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release').length).toBeGreaterThan(5);
    expect(resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup').length).toBe(3);
  }, 300_000);
});
