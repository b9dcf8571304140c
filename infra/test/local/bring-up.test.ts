import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const versionLines: Record<string, string> = {
  docker: 'Docker version 28.2.2, build e6534b4',
  kind: 'kind v0.29.0 go1.24.2 linux/amd64',
  kubectl: 'Client Version: v1.33.1\nKustomize Version: v5.6.0',
  terraform: 'Terraform v1.11.4\non linux_amd64',
  pulumi: 'v3.248.0',
  vault: 'Vault v1.20.1 (abc), built 2025-07-24T13:33:51Z',
  skaffold: 'v2.19.0',
};

/**
 * A directory of stand-in CLIs: each prints its real version line, records its arguments, and succeeds, so
 * the command's own logic (order, probes, messages) runs for real without a cluster.
 */
function fakeTools(overrides: Record<string, string | null> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bring-up-'));
  dirs.push(dir);
  const log = join(dir, 'calls.log');
  for (const [tool, line] of Object.entries({ ...versionLines, ...overrides })) {
    if (line === null) continue;
    const file = join(dir, tool);
    writeFileSync(
      file,
      [
        '#!/bin/sh',
        `echo "${tool} $*" >> "${log}"`,
        'case "$*" in',
        `  *version*) printf '%s\\n' "${line}" ;;`,
        '  "get clusters") echo platform ;;',
        `  "kv get"*) [ -f "${dir}/vault-empty" ] && exit 2 ;;`,
        `  "kv put"*) cat > "${dir}/kv-put.json"; rm -f "${dir}/vault-empty" ;;`,
        'esac',
        'exit 0',
      ].join('\n'),
    );
    chmodSync(file, 0o755);
  }
  return {
    dir,
    path: `${dir}:${dirname(process.execPath)}:/usr/bin:/bin`,
    calls: () => readFileSync(log, 'utf8'),
  };
}

function bringUp(args: string[], path: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/local/bring-up.ts', ...args], {
    cwd: repoRoot,
    env: { PATH: path, HOME: process.env.HOME },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('npm run up:local', () => {
  it('prints its plan without needing any tool', () => {
    const { status, out } = bringUp(['up', '--plan'], `${dirname(process.execPath)}:/bin`);
    expect(status).toBe(0);
    expect(out.trim().split('\n')).toEqual([
      '1. kind cluster "platform" (terraform/kind)',
      '2. Pulumi stack "local" (local backend unless you are logged in elsewhere)',
      '3. dev-mode Vault in the cluster (pulumi up, Vault only)',
      '4. Vault configuration: auth, roles, policies, transit (terraform/envs/local)',
      "5. the service's secrets in Vault (generated once, kept on later runs)",
      '6. first image, loaded into kind (the workload waits for it)',
      '7. the platform and the service (pulumi up)',
      '8. the developer loop (skaffold dev; Ctrl-C stops watching, the cluster stays)',
    ]);
  });

  it('names every missing or too old tool, with where to get it, and changes nothing', () => {
    const tools = fakeTools({ kind: 'kind v0.20.0 go1.20 linux/amd64', vault: null, skaffold: null });
    const { status, out } = bringUp(['up'], tools.path);
    expect(status).toBe(1);
    expect(out).toContain('kind 0.20.0 is too old: need 0.29.0 or newer');
    expect(out).toContain(
      'vault is not installed (need 1.15.0 or newer): https://developer.hashicorp.com/vault/install',
    );
    expect(out).toContain('skaffold is not installed');
    expect(out).toContain('3 prerequisite(s) missing or too old; nothing was changed.');
    expect(tools.calls()).not.toMatch(/apply|up |login/);
  });

  it('runs terraform, Vault, pulumi and skaffold in order, and a second run is harmless', () => {
    const tools = fakeTools();
    const first = bringUp(['up', '--no-dev'], tools.path);
    expect(first.out).toContain('[8/8] the service from this checkout (skaffold run): done');
    expect(first.status).toBe(0);
    const calls = tools
      .calls()
      .split('\n')
      .filter((line) => /apply|pulumi (up|stack select)|skaffold (run|build)|kind load/.test(line));
    expect(calls).toEqual([
      'terraform -chdir=terraform/kind apply -input=false -auto-approve',
      'pulumi stack select local --create --cwd infra',
      expect.stringMatching(
        /^pulumi up --cwd infra --stack local --yes --skip-preview --target urn:pulumi:local::platform::platform:index:Platform::platform/,
      ),
      'terraform -chdir=terraform/envs/local apply -input=false -auto-approve',
      'pulumi up --cwd infra --stack local --yes --skip-preview',
      'skaffold run --kube-context kind-platform',
    ]);
    // The secrets already exist (the stand-in `vault kv get` succeeds) and the image is loaded: both kept.
    expect(first.out).toContain(
      '[6/8] first image, loaded into kind (the workload waits for it): already done',
    );
    expect(tools.calls()).not.toContain('vault kv put');

    const second = bringUp(['up', '--no-dev'], tools.path);
    expect(second.status).toBe(0);
  });
});

describe('the local secrets', () => {
  it('are generated into an empty Vault path once, and kept on the next run', () => {
    const tools = fakeTools();
    writeFileSync(join(tools.dir, 'vault-empty'), '');
    const first = bringUp(['up', '--no-dev'], tools.path);
    expect(first.status).toBe(0);
    expect(first.out).toContain('secret/platform-api/local: written');
    expect(first.out).not.toMatch(/DATABASE_PASSWORD|postgresql:\/\//);
    const seed = JSON.parse(readFileSync(join(tools.dir, 'kv-put.json'), 'utf8'));
    expect(Object.keys(seed)).toEqual(
      expect.arrayContaining([
        'DATABASE_PASSWORD',
        'DATABASE_RUNTIME_PASSWORD',
        'DATABASE_URL',
        'DATABASE_DIRECT_URL',
        'REDIS_URL',
        'REDIS_PASSWORD',
      ]),
    );
    expect(seed.DATABASE_DIRECT_URL).toContain(seed.DATABASE_PASSWORD);
    expect(seed.DATABASE_URL).toContain(seed.DATABASE_RUNTIME_PASSWORD);
    expect(tools.calls()).toContain('vault kv put -mount=secret platform-api/local -');

    const second = bringUp(['up', '--no-dev'], tools.path);
    expect(second.out).toContain('secret/platform-api/local: kept');
    expect(tools.calls().match(/vault kv put/g)).toHaveLength(1);
  }, 60_000);
});

describe('npm run down:local', () => {
  it('destroys the cluster, then forgets the stack state but keeps its config file', () => {
    const tools = fakeTools();
    const { status } = bringUp(['down'], tools.path);
    expect(status).toBe(0);
    expect(tools.calls()).toContain('terraform -chdir=terraform/kind destroy -input=false -auto-approve');
  });
});
