import { type ChildProcess, spawn } from 'node:child_process';

/** kubectl against one context; the drill's only way into the cluster (as an operator runs it by hand). */
export class Kubectl {
  constructor(private readonly context: string) {}

  run(args: readonly string[], input?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('kubectl', ['--context', this.context, ...args], { stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve(stdout)
          : reject(new Error(`kubectl ${args.join(' ')}: ${stderr.trim() || `exit ${code}`}`)),
      );
      child.stdin.end(input ?? '');
    });
  }

  apply(objects: readonly object[]): Promise<string> {
    return this.run(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  }

  async getJson<T>(args: readonly string[]): Promise<T> {
    return JSON.parse(await this.run(['get', ...args, '-o', 'json'])) as T;
  }

  /** `kubectl port-forward` until `stop()`; resolves once kubectl reports the local port forwarding. */
  portForward(namespace: string, target: string, localPort: number, remotePort: number) {
    const child: ChildProcess = spawn(
      'kubectl',
      ['--context', this.context, '-n', namespace, 'port-forward', target, `${localPort}:${remotePort}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Forwarding from')) resolve();
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`kubectl port-forward exited (${code})`)));
    });
    return { ready, stop: () => child.kill() };
  }
}
