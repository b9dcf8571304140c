import { spawnSync } from 'node:child_process';
import semver from 'semver';

/** A command-line tool the local bring-up drives, with the oldest version known to work with this repo. */
export interface Tool {
  command: string;
  versionArgs: string[];
  /** The version inside the tool's own version output. */
  pattern: RegExp;
  minimum: string;
  /** Why that minimum: the repo file or upstream fact it follows from. */
  because: string;
  install: string;
}

export const tools: readonly Tool[] = [
  {
    command: 'docker',
    versionArgs: ['--version'],
    pattern: /Docker version (\d+\.\d+\.\d+)/,
    minimum: '24.0.0',
    because: 'BuildKit cache mounts in app/Dockerfile',
    install: 'https://docs.docker.com/engine/install/',
  },
  {
    command: 'kind',
    versionArgs: ['version'],
    pattern: /kind v(\d+\.\d+\.\d+)/,
    minimum: '0.29.0',
    because: 'the node image pinned in terraform/modules/kind-cluster is a kind v0.29 release image',
    install: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  },
  {
    command: 'kubectl',
    versionArgs: ['version', '--client'],
    pattern: /Client Version: v(\d+\.\d+\.\d+)/,
    minimum: '1.32.0',
    because: 'kubectl supports one minor version of skew against the kind node (Kubernetes 1.33)',
    install: 'https://kubernetes.io/docs/tasks/tools/',
  },
  {
    command: 'terraform',
    versionArgs: ['version'],
    pattern: /Terraform v(\d+\.\d+\.\d+)/,
    minimum: '1.10.0',
    because: 'required_version in terraform/*/versions.tf',
    install: 'https://developer.hashicorp.com/terraform/install',
  },
  {
    command: 'pulumi',
    versionArgs: ['version'],
    pattern: /v(\d+\.\d+\.\d+)/,
    minimum: '3.248.0',
    because: 'the CLI must be at least the @pulumi/pulumi SDK the program pins',
    install: 'https://www.pulumi.com/docs/iac/download-install/',
  },
  {
    command: 'vault',
    versionArgs: ['version'],
    pattern: /Vault v(\d+\.\d+\.\d+)/,
    minimum: '1.15.0',
    because: 'kv v2 commands with -mount',
    install: 'https://developer.hashicorp.com/vault/install',
  },
  {
    command: 'skaffold',
    versionArgs: ['version'],
    pattern: /v(\d+\.\d+\.\d+)/,
    minimum: '2.19.0',
    because: 'skaffold.yaml uses the skaffold/v4beta14 schema',
    install: 'https://skaffold.dev/docs/install/',
  },
];

export interface ToolStatus {
  tool: Tool;
  version?: string;
  /** Absent when the tool is present and new enough. */
  problem?: string;
}

export function checkTool(tool: Tool, env: NodeJS.ProcessEnv = process.env): ToolStatus {
  const result = spawnSync(tool.command, tool.versionArgs, { env, encoding: 'utf8' });
  if (result.error) {
    return {
      tool,
      problem: `${tool.command} is not installed (need ${tool.minimum} or newer): ${tool.install}`,
    };
  }
  const version = tool.pattern.exec(`${result.stdout}${result.stderr}`)?.[1];
  if (!version) {
    return {
      tool,
      problem: `${tool.command}: could not read a version from \`${tool.command} ${tool.versionArgs.join(' ')}\``,
    };
  }
  if (semver.lt(version, tool.minimum)) {
    return {
      tool,
      version,
      problem: `${tool.command} ${version} is too old: need ${tool.minimum} or newer (${tool.because}): ${tool.install}`,
    };
  }
  return { tool, version };
}

export const checkTools = (env: NodeJS.ProcessEnv = process.env) => tools.map((tool) => checkTool(tool, env));
