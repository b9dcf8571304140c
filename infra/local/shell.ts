import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

export class CommandFailed extends Error {}

/** Runs the bring-up's commands from the repository root, echoing each one, stopping at the first failure. */
export class Shell {
  private readonly background: ChildProcess[] = [];

  constructor(
    readonly root: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly echo: (line: string) => void,
  ) {}

  log(line: string) {
    this.echo(line);
  }

  /** Runs a command with its output on the terminal; throws if it fails. */
  run(command: string, args: string[], options: { cwd?: string; input?: string } = {}) {
    this.echo(
      `$ ${[command, ...args].join(' ')}${options.input === undefined ? '' : ' < (generated, not shown)'}`,
    );
    const result = spawnSync(command, args, {
      cwd: options.cwd ?? this.root,
      env: this.env,
      input: options.input,
      stdio: [options.input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'],
    });
    if (result.status !== 0) {
      throw new CommandFailed(
        `\`${[command, ...args].join(' ')}\` failed (exit ${result.status ?? result.signal})`,
      );
    }
  }

  /** Runs a command quietly and returns its output (secrets: never echoed); throws if it fails. */
  capture(command: string, args: string[]): string {
    const result = spawnSync(command, args, { cwd: this.root, env: this.env, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new CommandFailed(
        `\`${[command, ...args].join(' ')}\` failed (exit ${result.status ?? result.signal}): ${result.stderr}`,
      );
    }
    return result.stdout;
  }

  /** Runs a probe quietly: true when it exits 0 (and its output matches, if asked). */
  succeeds(command: string, args: string[], options: { cwd?: string; matches?: RegExp } = {}): boolean {
    const result = spawnSync(command, args, {
      cwd: options.cwd ?? this.root,
      env: this.env,
      encoding: 'utf8',
    });
    if (result.status !== 0) return false;
    return options.matches ? options.matches.test(result.stdout) : true;
  }

  /** Starts a long-running helper (a port-forward); stopped by `stopBackground`. */
  start(command: string, args: string[]) {
    this.echo(`$ ${[command, ...args].join(' ')} &`);
    this.background.push(spawn(command, args, { cwd: this.root, env: this.env, stdio: 'ignore' }));
  }

  stopBackground() {
    for (const child of this.background.splice(0)) child.kill();
  }
}
