import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { haproxyConfig } from '../../../infra/src/redis/master-proxy.js';
import { freePort, waitForPort } from './ports.js';

const available = (command: string, flag: string) => spawnSync(command, [flag]).status === 0;

/** Why the cluster cannot run here, or undefined when it can (`redis-sentinel` is `redis-server --sentinel`). */
export function sentinelClusterUnavailable(): string | undefined {
  const missing = ['redis-server', 'haproxy'].filter((tool) => !available(tool, '-v'));
  return missing.length > 0 ? `needs ${missing.join(' and ')} on the PATH (Debian packages)` : undefined;
}

export const masterName = 'platform';

export interface SentinelClusterOptions {
  /** Sentinel's down-after-milliseconds; the platform's Sentinels use 5000. */
  readonly downAfterMs?: number;
  /** Sentinel's failover-timeout; a split leader election is retried after twice this. */
  readonly failoverTimeoutMs?: number;
}

/**
 * One master, one replica and three Sentinels as plain processes on 127.0.0.1, with the platform's master proxy
 * (the HAProxy config infra generates for the `redis-master` Service) in front of both nodes: the address the
 * service's REDIS_URL names in the cluster. Every process runs in its own process group, killed on `stop` and,
 * should the test runner die first, on exit.
 */
export async function startSentinelCluster(options: SentinelClusterOptions = {}) {
  const password = `failover-${crypto.randomUUID()}`;
  const dir = mkdtempSync(join(tmpdir(), 'redis-failover-'));
  const [master, replica, proxy, ...sentinels] = (await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  )) as [number, number, number, number, number, number];
  const children = new Map<string, ChildProcess>();
  const killGroup = (child: ChildProcess) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const killAll = () => {
    for (const child of children.values()) killGroup(child);
  };
  process.once('exit', killAll);
  const run = (name: string, command: string, args: string[], env: Record<string, string> = {}) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
    children.set(name, child);
  };

  const node = (port: number, ...extra: string[]) => [
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
  ];
  try {
    run('master', 'redis-server', node(master));
    run('replica', 'redis-server', node(replica, '--replicaof', '127.0.0.1', String(master)));
    await Promise.all([master, replica].map((port) => waitForPort(port)));
    // Started after the replica is in sync, so the Sentinels' first look at the master already shows it.
    await eventually(
      async () => (await ask(replica, password, 'INFO', 'replication')).includes('master_link_status:up'),
      'the replica is in sync with the master',
    );
    sentinels.forEach((port, i) => {
      // Sentinel rewrites its config file as it learns the topology: one writable file each.
      const conf = join(dir, `sentinel-${i}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `logfile ${join(dir, `sentinel-${i}.log`)}`,
          `dir ${dir}`,
          `sentinel monitor ${masterName} 127.0.0.1 ${master} 2`,
          `sentinel auth-pass ${masterName} ${password}`,
          `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 5000}`,
          `sentinel failover-timeout ${masterName} ${options.failoverTimeoutMs ?? 5000}`,
          `sentinel parallel-syncs ${masterName} 1`,
          '',
        ].join('\n'),
      );
      run(`sentinel-${i}`, 'redis-server', [conf, '--sentinel']);
    });
    const haproxyCfg = join(dir, 'haproxy.cfg');
    writeFileSync(haproxyCfg, haproxyConfig([`127.0.0.1:${master}`, `127.0.0.1:${replica}`], proxy));
    run('proxy', 'haproxy', ['-f', haproxyCfg], { REDIS_PASSWORD: password });

    await Promise.all([proxy, ...sentinels].map((port) => waitForPort(port)));
    await eventually(
      async () =>
        (
          await Promise.all(sentinels.map((port) => ask(port, undefined, 'SENTINEL', 'ckquorum', masterName)))
        ).every((answer) => answer.startsWith('OK 3 usable')),
      'the three Sentinels know each other',
    );
    // Sentinels learn replicas from the master's INFO, every 10 s: one that has not yet seen the replica has
    // nothing to promote ("failover-abort-no-good-slave") once the master is gone.
    await eventually(
      async () =>
        (
          await Promise.all(sentinels.map((port) => ask(port, undefined, 'SENTINEL', 'replicas', masterName)))
        ).every((answer) => answer.split('\n').includes(String(replica))),
      'every Sentinel knows the replica',
    );
    await eventually(
      async () => (await ask(proxy, password, 'SET', 'proxy-probe', '1')) === 'OK',
      'a write through the proxy succeeds',
    );
  } catch (error) {
    killAll();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    password,
    ports: { master, replica, proxy, sentinels },
    /** The app's REDIS_URL: the master proxy, as in the cluster. */
    url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${proxy}`,
    /** `ROLE`'s first line from a node: master, slave, or the error when it does not answer. */
    role: async (port: number) => (await ask(port, password, 'ROLE')).split('\n')[0],
    /** The port of the node a client of the proxy reaches. */
    servedBy: async () => (await ask(proxy, password, 'INFO', 'server')).match(/tcp_port:(\d+)/)?.[1],
    /** How many Sentinels name `port` as the master. */
    sentinelsNaming: async (port: number) =>
      (
        await Promise.all(
          sentinels.map((sentinel) =>
            ask(sentinel, undefined, 'SENTINEL', 'get-master-addr-by-name', masterName),
          ),
        )
      ).filter((answer) => answer.split('\n')[1] === String(port)).length,
    /** The last lines each Sentinel logged: what it saw and decided, for a failover that did not happen. */
    sentinelLogs: (lines = 15) =>
      sentinels
        .map((port, i) => {
          const log = readFileSync(join(dir, `sentinel-${i}.log`), 'utf8')
            .trimEnd()
            .split('\n');
          return `sentinel :${port}\n${log.slice(-lines).join('\n')}`;
        })
        .join('\n'),
    /** `kill -9` of the master's process: no shutdown, no last words to the replica. */
    killMaster: () => {
      const child = children.get('master');
      if (child) killGroup(child);
    },
    async stop() {
      process.off('exit', killAll);
      const exits = [...children.values()]
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map((child) => new Promise((resolve) => child.once('exit', resolve)));
      killAll();
      await Promise.all(exits);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type SentinelCluster = Awaited<ReturnType<typeof startSentinelCluster>>;

/**
 * One command on a fresh connection, answered as text (arrays one item a line, errors as their message): probes
 * must not share the app's connections, and must not block the event loop the service under test runs on.
 */
export async function ask(port: number, password: string | undefined, ...command: string[]): Promise<string> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    password,
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 1000,
    commandTimeout: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [name, ...args] = command as [string, ...string[]];
    const answer = await client.call(name, ...args);
    return Array.isArray(answer)
      ? answer.flat(Number.POSITIVE_INFINITY).map(String).join('\n')
      : String(answer);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  } finally {
    client.disconnect();
  }
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
