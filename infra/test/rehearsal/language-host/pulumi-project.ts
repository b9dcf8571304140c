import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** What the Pulumi CLI makes of a project's `Pulumi.yaml` before it asks the Node.js language host to run it. */
export interface PulumiProject {
  name: string;
  /** Where `Pulumi.yaml` lives (`--root-directory`). */
  rootDirectory: string;
  /** `--pwd`, and the working directory of the language host and of the Node.js process it starts. */
  programDirectory: string;
  /** The program argument after cmd/run's flags: a file name in `programDirectory`, or `.` for the directory. */
  entryPoint: string;
  /** Runtime options as the Node.js language host parses them. */
  options: { typescript: boolean; nodeargs: string; tsconfig?: string };
}

interface ProjectFile {
  name?: unknown;
  main?: unknown;
  runtime?: unknown;
  config?: unknown;
}

/**
 * `main` → program directory and entry point, as pulumi/pulumi@v3.248.0 pkg/engine/project.go `getPwdMain`:
 * no `main` runs the root directory as `.`; a directory runs as `.` from there; a file runs by its base name
 * from its own directory.
 */
function programLocation(root: string, main: string | undefined) {
  if (!main) return { programDirectory: root, entryPoint: '.' };
  const target = isAbsolute(main) ? main : resolve(root, main);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch (error) {
    throw new Error(`project 'main' could not be read: ${(error as Error).message}`);
  }
  return isDirectory
    ? { programDirectory: target, entryPoint: '.' }
    : { programDirectory: dirname(target), entryPoint: basename(target) };
}

/**
 * Runtime options, as pulumi/pulumi@v3.248.0 sdk/nodejs/cmd/pulumi-language-nodejs/main.go `parseOptions`:
 * `typescript` defaults to true, `nodeargs` and `tsconfig` are strings.
 */
function runtimeOptions(runtime: unknown): PulumiProject['options'] {
  const name = typeof runtime === 'string' ? runtime : (runtime as { name?: unknown } | undefined)?.name;
  if (name !== 'nodejs') throw new Error(`runtime ${String(name)}: only the nodejs runtime is rehearsed`);
  const raw =
    (typeof runtime === 'object' && runtime !== null ? (runtime as { options?: unknown }).options : {}) ?? {};
  const options = raw as Record<string, unknown>;
  if (options.typescript !== undefined && typeof options.typescript !== 'boolean') {
    throw new Error('typescript option must be a boolean');
  }
  if (options.nodeargs !== undefined && typeof options.nodeargs !== 'string') {
    throw new Error('nodeargs option must be a string');
  }
  if (options.tsconfig !== undefined && typeof options.tsconfig !== 'string') {
    throw new Error('tsconfigpath option must be a string');
  }
  return {
    typescript: (options.typescript as boolean | undefined) ?? true,
    nodeargs: (options.nodeargs as string | undefined) ?? '',
    ...(options.tsconfig ? { tsconfig: options.tsconfig as string } : {}),
  };
}

/** Reads `<root>/Pulumi.yaml` the way the CLI does for `pulumi up`/`preview` with the nodejs runtime. */
export function readPulumiProject(rootDirectory: string): PulumiProject {
  const file = parse(readFileSync(join(rootDirectory, 'Pulumi.yaml'), 'utf8')) as ProjectFile | null;
  if (!file || typeof file.name !== 'string') throw new Error('Pulumi.yaml: project name is required');
  // Project-level config (defaults and typed declarations) is not rehearsed: fail loudly rather than differ.
  if (file.config !== undefined) throw new Error('Pulumi.yaml: project-level `config:` is not rehearsed yet');
  if (file.main !== undefined && typeof file.main !== 'string')
    throw new Error("Pulumi.yaml: 'main' must be a string");
  return {
    name: file.name,
    rootDirectory,
    ...programLocation(rootDirectory, file.main as string | undefined),
    options: runtimeOptions(file.runtime),
  };
}
