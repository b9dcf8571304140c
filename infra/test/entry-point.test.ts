import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runPulumiProgram } from './rehearsal/language-host/launch-program.js';
import { readPulumiProject } from './rehearsal/language-host/pulumi-project.js';
import { runStage } from './rehearsal/run-stage.js';

const infraDir = fileURLToPath(new URL('../', import.meta.url));
const programRun = 120_000;

/**
 * A small copy of infra/ in the temp directory: its own Pulumi.yaml and package.json (from `plant`), today's
 * dev stack file, and links to the real sources and node_modules, so only the entry-point settings differ.
 */
function copyOfInfra(
  plant: (files: { pulumiYaml: string; packageJson: string }) => {
    pulumiYaml: string;
    packageJson: string;
  },
): string {
  const dir = mkdtempSync(join(tmpdir(), 'infra-entry-'));
  const files = plant({
    pulumiYaml: readFileSync(join(infraDir, 'Pulumi.yaml'), 'utf8'),
    packageJson: readFileSync(join(infraDir, 'package.json'), 'utf8'),
  });
  writeFileSync(join(dir, 'Pulumi.yaml'), files.pulumiYaml);
  writeFileSync(join(dir, 'package.json'), files.packageJson);
  cpSync(join(infraDir, 'Pulumi.dev.yaml'), join(dir, 'Pulumi.dev.yaml'));
  symlinkSync(join(infraDir, 'src'), join(dir, 'src'));
  symlinkSync(join(infraDir, '..', 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('the Pulumi program as the language host resolves and starts it', () => {
  it('Pulumi.yaml names the program file, which the host runs from its own directory through tsx', () => {
    const project = readPulumiProject(infraDir);
    expect(project).toMatchObject({
      name: 'platform',
      programDirectory: join(infraDir, 'src'),
      entryPoint: 'index.ts',
      options: { typescript: false, nodeargs: '--import tsx' },
    });
    const pkg = JSON.parse(readFileSync(join(infraDir, 'package.json'), 'utf8'));
    expect(pkg.type).toBe('module');
  });

  it(
    'starts through cmd/run with the entry point as its program argument and exports the stack outputs',
    async () => {
      const run = await runStage('local');
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.command.cwd).toBe(join(infraDir, 'src'));
      expect(run.command.args.at(-1)).toBe('index.ts');
      expect(run.command.args).toContain('--pwd');
      expect(run.outputs).toMatchObject({
        databasePooledHost: 'platform-db-pooler.postgres.svc.cluster.local',
        otlpEndpoint: expect.stringMatching(
          /^http:\/\/otel-collector\.observability\.svc\.cluster\.local:43/,
        ),
      });
    },
    programRun,
  );

  it(
    'without `main`, an exports map without "." leaves the directory as the program: "No entrypoint found"',
    async () => {
      // Pulumi.yaml and package.json as they were before the fix: no `main` in Pulumi.yaml, and package.json's
      // `main` shadowed by an `exports` map that has only the testing entries.
      const dir = copyOfInfra(({ pulumiYaml, packageJson }) => {
        const project = parseDocument(pulumiYaml);
        project.delete('main');
        const pkg = JSON.parse(packageJson);
        delete pkg.exports['.'];
        return {
          pulumiYaml: project.toString(),
          packageJson: JSON.stringify({ ...pkg, main: 'src/index.ts' }, null, 2),
        };
      });
      copies.push(dir);

      const run = await runPulumiProgram(dir, 'dev', {
        config: { 'app:imageDigest': `sha256:${'c'.repeat(64)}` },
      });

      expect(run.command.args.at(-1)).toBe('.');
      expect(run.exitCode).toBe(32);
      expect(run.errors.join('\n')).toContain(`No entrypoint found in ${dir}`);
      expect(run.resources.map((r) => r.type)).toEqual(['pulumi:pulumi:Stack']);
    },
    programRun,
  );
});
