import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readStackFile } from '../src/config/index.js';
import { stageConfigFromEngine } from '../src/config/pulumi-stage-config.js';

/** The engine hands the program every value as a string: objects as JSON, scalars as they are. */
function asEngineConfig(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

describe('stack configuration read from the Pulumi engine', () => {
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: args.name, state: args.inputs }), call: (args) => args.inputs },
      'platform',
      'staging',
      false,
    );
  });

  it('parses the same stage configuration as the committed stack file', () => {
    const raw = { ...readStackFile('staging'), 'app:imageDigest': `sha256:${'ab'.repeat(32)}` };
    pulumi.runtime.setAllConfig(asEngineConfig(raw));
    const config = stageConfigFromEngine();
    expect(config.stage).toBe('staging');
    expect(config.postgres.instances).toBe(2);
    expect(config.app.image).toBe(`ghcr.io/platform-org/platform-api@sha256:${'ab'.repeat(32)}`);
  });

  it('refuses to deploy the all-zero placeholder digest', () => {
    const raw = { ...readStackFile('staging'), 'app:imageDigest': `sha256:${'0'.repeat(64)}` };
    pulumi.runtime.setAllConfig(asEngineConfig(raw));
    expect(() => stageConfigFromEngine()).toThrow(/app:imageDigest: the all-zero placeholder names no image/);
  });

  it('refuses a stage deployed by digest when the deploy passes none, saying how to pass it', () => {
    pulumi.runtime.setAllConfig(asEngineConfig(readStackFile('staging')));
    expect(() => stageConfigFromEngine()).toThrow(
      /app:imageDigest: no image digest given: pass the one to deploy \(pulumi up --config app:imageDigest=/,
    );
  });

  it('reports invalid values against the stack, one line per problem', () => {
    const raw = { ...readStackFile('staging'), 'app:imageDigest': `sha256:${'ab'.repeat(32)}` };
    pulumi.runtime.setAllConfig({
      ...asEngineConfig(raw),
      'platform:redis': stringify({ topology: 'cluster' }),
    });
    expect(() => stageConfigFromEngine()).toThrow(
      /^stack staging is not a valid stage configuration:\n {2}- platform:redis/,
    );
  });
});
