import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import { type EngineLog, startFakeEngine } from './fake-engine.js';
import { splitNodeArgs } from './node-args.js';
import { inspectBugWorkaround } from './node-inspect-bug.js';
import { type PulumiProject, readPulumiProject } from './pulumi-project.js';
import { languageHostConfigJson, readStackConfig } from './stack-config.js';

/** What one `pulumi up` of a stack would have shown, up to the point where providers take over. */
export interface ProgramRun {
  resources: RegisteredResource[];
  /** The stack outputs (the program's exports); undefined if the program never got that far. */
  outputs: Record<string, unknown> | undefined;
  /** What the CLI would print as errors: the program's error diagnostics, the engine's refusals, the host's verdict. */
  errors: string[];
  logs: EngineLog[];
  /** The Node.js process's exit code; null if the language host could not start it. */
  exitCode: number | null;
  stderr: string;
  stdout: string;
  /** How the program was started: the Node.js arguments and working directory the language host would use. */
  command: { args: string[]; cwd: string };
}

export interface RunOptions {
  /** `--config key=value` overrides, as the deploy passes them (`app:imageDigest`, or a bare name for the project). */
  config?: Record<string, string>;
  timeoutMs?: number;
}

// pulumi/pulumi@v3.248.0 sdk/nodejs/cmd/pulumi-language-nodejs/main.go: `defaultRunPath`, and the exit code
// (`nodeJSProcessExitedAfterShowingUserActionableMessage`) meaning "the program already told the user".
const runModule = '@pulumi/pulumi/cmd/run';
const exitAfterUserActionableMessage = 32;
// pkg/backend/diy: the local backend's fixed organization name.
const localBackendOrganization = 'organization';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: signal ? null : code,
        stdout,
        stderr: signal ? `${stderr}\nkilled by ${signal}` : stderr,
      });
    });
  });
}

/**
 * Where `@pulumi/pulumi/cmd/run` is, found the way the host finds it (main.go `locateModule`):
 * `require.resolve` in a Node.js process started in the program directory.
 */
async function locateRunModule(project: PulumiProject, env: NodeJS.ProcessEnv): Promise<string> {
  const script =
    `try { console.log(require.resolve('${runModule}')); } catch (error) {` +
    ` if (error.code === 'MODULE_NOT_FOUND') { console.error("It looks like the Pulumi SDK has not been installed. Have you run pulumi install?") }` +
    ' else { console.error(error.message); } process.exit(1); }';
  const found = await runNode(['-e', script], project.programDirectory, env, 30_000);
  if (found.code !== 0) throw new Error(found.stderr.trim());
  return found.stdout.trim();
}

/** The environment the CLI would hand on: the caller's, without this test runner's own settings. */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('VITEST') && !key.startsWith('PULUMI_') && key !== 'NODE_OPTIONS',
    ),
  );
}

/**
 * Starts the Pulumi program in `rootDirectory` for `stack` exactly as `pulumi up` has the Node.js language host
 * start it (pulumi/pulumi@v3.248.0 sdk/nodejs/cmd/pulumi-language-nodejs/main.go `Run`, `execRuntime`,
 * `constructArguments`): `node <nodeargs> <cmd/run> --monitor … <entry point>` in the program directory, with
 * the stack's config in `PULUMI_CONFIG`, against a fake engine that records what the program registers.
 */
export async function runPulumiProgram(
  rootDirectory: string,
  stack: string,
  options: RunOptions = {},
): Promise<ProgramRun> {
  const project = readPulumiProject(rootDirectory);
  const { config, secretKeys } = readStackConfig(rootDirectory, project.name, stack, options.config);
  const env = inheritedEnv();
  const engine = await startFakeEngine(project.name, stack);
  try {
    let runPath: string;
    try {
      runPath = await locateRunModule(project, env);
    } catch (error) {
      return {
        ...engine.recording,
        errors: [(error as Error).message],
        exitCode: null,
        stderr: '',
        stdout: '',
        command: { args: [], cwd: project.programDirectory },
      };
    }
    const args = [
      ...splitNodeArgs(project.options.nodeargs),
      ...inspectBugWorkaround(),
      runPath,
      ...['--monitor', engine.address, '--engine', engine.address],
      ...['--organization', localBackendOrganization, '--project', project.name],
      ...['--root-directory', project.rootDirectory, '--stack', stack, '--pwd', project.programDirectory],
      // pkg/cmd/pulumi/operations/up.go `defaultParallel`: four per CPU unless PULUMI_PARALLEL says otherwise.
      ...['--parallel', String(availableParallelism() * 4)],
      project.entryPoint,
    ];
    const exit = await runNode(
      args,
      project.programDirectory,
      {
        ...env,
        PULUMI_CONFIG: languageHostConfigJson(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
        ...(project.options.typescript ? { PULUMI_NODEJS_TYPESCRIPT: 'true' } : {}),
        ...(project.options.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: project.options.tsconfig } : {}),
      },
      options.timeoutMs ?? 120_000,
    );
    const { recording } = engine;
    const errors = [
      // As the CLI renders them: the SDK colours inspected errors with ANSI codes.
      ...recording.logs
        .filter((log) => log.severity === 'error')
        .map((log) => stripVTControlCharacters(log.message)),
      ...recording.refusals,
    ];
    // execRuntime's verdict on the exit code; 32 means the program already reported its error.
    if (exit.code !== 0 && exit.code !== exitAfterUserActionableMessage) {
      errors.push(
        exit.code === null
          ? `Program did not exit: ${exit.stderr.trim().split('\n').at(-1)}`
          : `Program exited with non-zero exit code: ${exit.code}`,
      );
    }
    return {
      ...recording,
      errors,
      exitCode: exit.code,
      stderr: exit.stderr,
      stdout: exit.stdout,
      command: { args, cwd: project.programDirectory },
    };
  } finally {
    await engine.close();
  }
}
