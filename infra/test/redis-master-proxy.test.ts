import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyConfig } from '../src/redis/master-proxy.js';

/**
 * The master proxy's config run by a real HAProxy in front of two real Redis servers (Valkey speaks the same
 * protocol and reports `role:` the same way): writes reach the master, and after a failover they reach the new
 * one while clients of the old one are disconnected. Needs `haproxy` and `redis-server` on the PATH (Debian:
 * `apt-get install haproxy redis-server`); the suite is skipped, and says so, where they are missing.
 */
const available = (command: string, flag: string) => spawnSync(command, [flag]).status === 0;
const tools =
  available('haproxy', '-v') && available('redis-server', '--version') && available('redis-cli', '--version');
const password = 'proxy-test-password';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function cli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-p', String(port), '-a', password, '--no-auth-warning', ...args], {
    encoding: 'utf8',
    timeout: 3000,
  });
  return `${result.stdout}${result.stderr}`.trim();
}

async function eventually(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const servedBy = (proxyPort: number) => cli(proxyPort, 'INFO', 'server').match(/tcp_port:(\d+)/)?.[1];

describe.skipIf(!tools)('the Redis master proxy (real HAProxy, real Redis)', () => {
  const processes: ChildProcess[] = [];
  let dir: string;
  let nodes: [number, number];
  let proxy: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'master-proxy-'));
    nodes = [await freePort(), await freePort()];
    proxy = await freePort();
    const redis = (port: number, ...extra: string[]) =>
      spawn('redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--requirepass',
        password,
        '--masterauth',
        password,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        ...extra,
      ]);
    processes.push(redis(nodes[0]), redis(nodes[1], '--replicaof', '127.0.0.1', String(nodes[0])));
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig([`127.0.0.1:${nodes[0]}`, `127.0.0.1:${nodes[1]}`], proxy));
    processes.push(spawn('haproxy', ['-f', config], { env: { ...process.env, REDIS_PASSWORD: password } }));
    await eventually(() => cli(proxy, 'SET', 'probe', '1') === 'OK', 'a write through the proxy succeeds');
  }, 30_000);

  afterAll(() => {
    for (const child of processes) child.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends clients to the master only', () => {
    for (let i = 0; i < 5; i++) expect(servedBy(proxy)).toBe(String(nodes[0]));
    expect(cli(proxy, 'SET', 'key', 'value')).toBe('OK');
  });

  it('follows a failover and disconnects the clients of the demoted master', async () => {
    const client = new Socket();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => {});
    await new Promise<void>((resolve) => client.connect(proxy, '127.0.0.1', resolve));

    // What Sentinel does in a failover: promote the replica, demote the old master to its replica.
    expect(cli(nodes[1], 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(cli(nodes[0], 'REPLICAOF', '127.0.0.1', String(nodes[1]))).toBe('OK');

    await eventually(() => servedBy(proxy) === String(nodes[1]), 'the proxy serves from the new master');
    expect(cli(proxy, 'SET', 'after-failover', '1')).toBe('OK');
    await expect(closed).resolves.toBeUndefined();
  }, 30_000);
});
