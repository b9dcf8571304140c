import { setTimeout } from 'node:timers/promises';
import { seedLocalVault } from './seed-local-vault.js';
import type { Shell } from './shell.js';

/** One step of the local bring-up. `done` says when running it again would change nothing. */
export interface Step {
  title: string;
  done?: (sh: Shell) => boolean;
  run: (sh: Shell) => void | Promise<void>;
}

export const cluster = { name: 'platform', context: 'kind-platform' } as const;
/** Where the port-forward puts the dev-mode Vault, and its root token (a laptop-only, in-memory server). */
export const localVault = { address: 'http://127.0.0.1:8200', token: 'root' } as const;
const stack = ['--cwd', 'infra', '--stack', 'local'];

// A targeted update needs every parent of the target (docs/platform.md, "pulumi up order").
const platformUrn = 'urn:pulumi:local::platform::platform:index:Platform';
const vaultTargets = [
  `${platformUrn}::platform`,
  `${platformUrn}$platform:vault:Vault::vault`,
  `${platformUrn}$platform:vault:Vault$kubernetes:core/v1:Namespace::vault`,
  `${platformUrn}$platform:vault:Vault$kubernetes:helm.sh/v3:Release::vault`,
].flatMap((urn) => ['--target', urn]);

/** Runs `body` while a port-forward makes the in-cluster dev Vault reachable at VAULT_ADDR. */
async function withVault(sh: Shell, body: () => void | Promise<void>) {
  sh.start('kubectl', [
    '--context',
    cluster.context,
    '-n',
    'vault',
    'port-forward',
    'svc/vault',
    '8200:8200',
  ]);
  try {
    for (let i = 0; i < 30 && !sh.succeeds('vault', ['status']); i++) await setTimeout(1_000);
    await body();
  } finally {
    sh.stopBackground();
  }
}

export function upSteps(options: { dev: boolean }): Step[] {
  return [
    {
      title: `kind cluster "${cluster.name}" (terraform/kind)`,
      run: (sh) => {
        sh.run('terraform', ['-chdir=terraform/kind', 'init', '-input=false']);
        sh.run('terraform', ['-chdir=terraform/kind', 'apply', '-input=false', '-auto-approve']);
      },
    },
    {
      title: 'Pulumi stack "local" (local backend unless you are logged in elsewhere)',
      run: (sh) => {
        if (!sh.succeeds('pulumi', ['whoami'])) sh.run('pulumi', ['login', '--local']);
        sh.run('pulumi', ['stack', 'select', 'local', '--create', '--cwd', 'infra']);
      },
    },
    {
      title: 'dev-mode Vault in the cluster (pulumi up, Vault only)',
      run: (sh) => sh.run('pulumi', ['up', ...stack, '--yes', '--skip-preview', ...vaultTargets]),
    },
    {
      title: 'Vault configuration: auth, roles, policies, transit (terraform/envs/local)',
      run: (sh) =>
        withVault(sh, () => {
          sh.run('terraform', ['-chdir=terraform/envs/local', 'init', '-input=false']);
          sh.run('terraform', ['-chdir=terraform/envs/local', 'apply', '-input=false', '-auto-approve']);
        }),
    },
    {
      title: "the service's secrets in Vault (generated once, kept on later runs)",
      run: (sh) =>
        withVault(sh, () => {
          sh.log(`secret/platform-api/local: ${seedLocalVault(sh)}`);
        }),
    },
    {
      title: 'first image, loaded into kind (the workload waits for it)',
      done: (sh) =>
        sh.succeeds('docker', [
          'exec',
          `${cluster.name}-control-plane`,
          'crictl',
          'inspecti',
          'docker.io/library/platform-api:dev',
        ]),
      run: (sh) => {
        sh.run('skaffold', ['build', '--tag=dev', '--kube-context', cluster.context]);
        sh.run('kind', ['load', 'docker-image', 'platform-api:dev', '--name', cluster.name]);
      },
    },
    {
      title: 'the platform and the service (pulumi up)',
      run: (sh) => sh.run('pulumi', ['up', ...stack, '--yes', '--skip-preview']),
    },
    options.dev
      ? {
          title: 'the developer loop (skaffold dev; Ctrl-C stops watching, the cluster stays)',
          run: (sh) => sh.run('skaffold', ['dev', '--kube-context', cluster.context, '--cleanup=false']),
        }
      : {
          title: 'the service from this checkout (skaffold run)',
          run: (sh) => sh.run('skaffold', ['run', '--kube-context', cluster.context]),
        },
  ];
}

export function downSteps(): Step[] {
  return [
    {
      title: 'the kind cluster and everything in it (terraform/kind destroy)',
      done: (sh) =>
        !sh.succeeds('kind', ['get', 'clusters'], { matches: new RegExp(`^${cluster.name}$`, 'm') }),
      run: (sh) => sh.run('terraform', ['-chdir=terraform/kind', 'destroy', '-input=false', '-auto-approve']),
    },
    {
      title: "the local stack's state (its config file stays)",
      done: (sh) => !sh.succeeds('pulumi', ['stack', 'ls', '--cwd', 'infra'], { matches: /^local\b/m }),
      run: (sh) =>
        sh.run('pulumi', ['stack', 'rm', 'local', '--cwd', 'infra', '--yes', '--force', '--preserve-config']),
    },
  ];
}
