import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readStackFile } from '../src/config/index.js';

const infraFile = (name: string) => new URL(`../${name}`, import.meta.url);

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe('the Pulumi program as the CLI runs it', () => {
  it('is a Node.js project whose entry Node loads as TypeScript ESM through tsx', () => {
    const project = parse(readFileSync(infraFile('Pulumi.yaml'), 'utf8'));
    expect(project.name).toBe('platform');
    expect(project.runtime).toMatchObject({
      name: 'nodejs',
      options: { typescript: false, nodeargs: '--import tsx' },
    });
    const pkg = JSON.parse(readFileSync(infraFile('package.json'), 'utf8'));
    expect(pkg.type).toBe('module');
    expect(() => readFileSync(infraFile(pkg.main))).not.toThrow();
  });

  it('declares the stage from the engine config and exports the platform addresses', async () => {
    const registered: string[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args.type);
          return { id: args.name, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      'platform',
      'dev',
      false,
    );
    const raw = { ...readStackFile('dev'), 'app:imageDigest': `sha256:${'c'.repeat(64)}` };
    pulumi.runtime.setAllConfig(
      Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ),
    );

    const program = await import('../src/index.js');

    expect(await settled(program.databasePooledHost)).toBe('platform-db-pooler.postgres.svc.cluster.local');
    expect(await settled(program.otlpEndpoint)).toBe(
      'http://otel-collector.observability.svc.cluster.local:4318',
    );
    expect(program.ingressHosts).toEqual(['api.dev.platform.example.com']);
    expect(registered).toContain('kubernetes:postgresql.cnpg.io/v1:Cluster');
  });
});
