import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findMasterScript,
  startSentinelScript,
  startValkeyScript,
  valkeyConf,
} from '../src/redis/valkey-scripts.js';

/**
 * The start scripts of the Redis nodes and their Sentinels, run as the pods run them: three "pods", each its own
 * network namespace with its own IP, hostname and DNS names (`redis-<i>.redis-nodes...` through the namespace's
 * hosts file), real Redis 7 servers and Sentinels in place of Valkey's (same commands, `valkey-*` names shimmed).
 * A first start elects the first pod, a killed master is replaced by Sentinel, and the old master, restarted,
 * asks the Sentinels and comes back as a replica of the new one.
 *
 * Needs root (network namespaces), `ip`, `unshare`, `redis-server` and `redis-cli` (Debian: iproute2,
 * util-linux, redis-server); skipped, and says so, elsewhere.
 */
const tool = (command: string, ...args: string[]) => spawnSync(command, args).status === 0;
const usable =
  process.getuid?.() === 0 &&
  tool('ip', 'netns', 'list') &&
  tool('unshare', '--version') &&
  tool('redis-server', '--version') &&
  tool('redis-cli', '--version');

const password = 'sentinel-test-password';
const domain = 'redis-nodes.redis.svc.cluster.local';
const id = (process.pid % 10_000).toString(36);
const namespaceOf = (i: number) => `rt${id}n${i}`;
const ipOf = (i: number) => `10.213.77.${10 + i}`;
const hostOf = (i: number) => `redis-${i}.${domain}`;
const bridge = `rt${id}br`;

const sh = (command: string) => {
  const result = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`);
};

function cli(i: number, port: number, ...args: string[]): string {
  const result = spawnSync(
    'ip',
    [
      'netns',
      'exec',
      namespaceOf(i),
      'redis-cli',
      '-p',
      String(port),
      '-a',
      password,
      '--no-auth-warning',
      ...args,
    ],
    { encoding: 'utf8', timeout: 3000 },
  );
  return `${result.stdout}`.trim();
}
const role = (i: number) => cli(i, 6379, 'ROLE').split('\n')[0];
const masterHostOf = (i: number) => cli(i, 6379, 'INFO', 'replication').match(/master_host:(\S+)/)?.[1];
const sentinelMaster = (i: number) =>
  cli(i, 26379, 'SENTINEL', 'get-master-addr-by-name', 'platform').split('\n')[0];

async function eventually(check: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!usable)('Redis nodes with Sentinel (real Redis 7 in three network namespaces)', () => {
  const running = new Map<string, ChildProcess>();
  let dir: string;

  /** The environment the pod spec gives container `container` of pod i, with the `valkey-*` shims first. */
  function environment(i: number, container: 'valkey' | 'sentinel') {
    return {
      ...process.env,
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      REDIS_PASSWORD: password,
      SET_NAME: 'redis',
      NODES_DOMAIN: domain,
      NODE_COUNT: '3',
      MASTER_NAME: 'platform',
      SENTINEL_QUORUM: '2',
      VALKEY_CONFIG: join(dir, `node-${i}`, 'valkey.conf'),
      RUN_DIR: join(dir, `node-${i}`, container),
    };
  }

  /** One container of pod i: its start script under the pod's hostname, in the pod's network namespace. */
  function start(i: number, container: 'valkey' | 'sentinel') {
    const env = environment(i, container);
    mkdirSync(env.RUN_DIR, { recursive: true });
    const script = join(dir, 'scripts', container === 'valkey' ? 'start-valkey.sh' : 'start-sentinel.sh');
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        namespaceOf(i),
        'unshare',
        '--uts',
        'sh',
        '-c',
        `hostname redis-${i} && exec ${script}`,
      ],
      { stdio: 'ignore', env },
    );
    running.set(`${i}/${container}`, child);
  }

  async function startPod(i: number) {
    start(i, 'valkey');
    start(i, 'sentinel');
    await eventually(
      () => cli(i, 6379, 'PING') === 'PONG' && cli(i, 26379, 'PING') === 'PONG',
      `pod ${i} is up`,
    );
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-sentinel-'));
    mkdirSync(join(dir, 'scripts'));
    mkdirSync(join(dir, 'bin'));
    const executable = (path: string, text: string) => writeFileSync(path, text, { mode: 0o755 });
    executable(join(dir, 'scripts', 'start-valkey.sh'), startValkeyScript);
    executable(join(dir, 'scripts', 'find-master.sh'), findMasterScript);
    executable(join(dir, 'scripts', 'start-sentinel.sh'), startSentinelScript);
    executable(join(dir, 'bin', 'valkey-server'), '#!/bin/sh\nexec redis-server "$@"\n');
    executable(join(dir, 'bin', 'valkey-cli'), '#!/bin/sh\nexec redis-cli "$@"\n');
    executable(join(dir, 'bin', 'valkey-sentinel'), '#!/bin/sh\nexec redis-server "$1" --sentinel\n');

    sh(`ip link add ${bridge} type bridge && ip link set ${bridge} up`);
    const hosts = ['127.0.0.1 localhost', ...[0, 1, 2].map((i) => `${ipOf(i)} ${hostOf(i)}`)].join('\n');
    for (const i of [0, 1, 2]) {
      const ns = namespaceOf(i);
      mkdirSync(`/etc/netns/${ns}`, { recursive: true });
      writeFileSync(`/etc/netns/${ns}/hosts`, `${hosts}\n`);
      sh(
        `ip netns add ${ns} && ip link add ${ns}v type veth peer name eth0 netns ${ns} && ` +
          `ip link set ${ns}v master ${bridge} up && ip netns exec ${ns} ip addr add ${ipOf(i)}/24 dev eth0 && ` +
          `ip netns exec ${ns} ip link set eth0 up && ip netns exec ${ns} ip link set lo up`,
      );
      mkdirSync(join(dir, `node-${i}`, 'data'), { recursive: true });
      // The stage's config, with the data directory moved into this test's temporary directory.
      const data = join(dir, `node-${i}`, 'data');
      writeFileSync(
        join(dir, `node-${i}`, 'valkey.conf'),
        valkeyConf(false).replace('dir /data', `dir ${data}`),
      );
    }
    // Pods start one after another, each once the previous is ready (StatefulSet OrderedReady).
    for (const i of [0, 1, 2]) await startPod(i);
  }, 90_000);

  afterAll(() => {
    for (const child of running.values()) child.kill('SIGKILL');
    for (const i of [0, 1, 2]) {
      spawnSync('ip', ['netns', 'del', namespaceOf(i)]);
      rmSync(`/etc/netns/${namespaceOf(i)}`, { recursive: true, force: true });
    }
    spawnSync('ip', ['link', 'del', bridge]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a first start makes the first pod master and the others its replicas, watched by every Sentinel', async () => {
    expect([role(0), role(1), role(2)]).toEqual(['master', 'slave', 'slave']);
    expect([masterHostOf(1), masterHostOf(2)]).toEqual([hostOf(0), hostOf(0)]);
    await eventually(
      () =>
        [0, 1, 2].every((i) => cli(i, 26379, 'SENTINEL', 'ckquorum', 'platform').startsWith('OK 3 usable')),
      'the three Sentinels know each other',
    );
    expect([0, 1, 2].map(sentinelMaster)).toEqual([hostOf(0), hostOf(0), hostOf(0)]);
  }, 60_000);

  it('a killed master is replaced, and restarted it rejoins as a replica of the new master', async () => {
    expect(cli(0, 6379, 'SET', 'written-before', '1')).toBe('OK');
    // Replication is asynchronous: only a write both replicas acknowledged is expected to survive.
    expect(cli(0, 6379, 'WAIT', '2', '2000')).toBe('2');
    running.get('0/valkey')?.kill('SIGKILL');

    // A split leader election is retried after twice the failover timeout (2 x 20 s); a loaded CI machine has
    // needed more than two rounds.
    await eventually(() => [1, 2].some((i) => role(i) === 'master'), 'Sentinel promotes a replica', 200_000);
    const promoted = role(1) === 'master' ? 1 : 2;
    await eventually(
      () => [0, 1, 2].filter((i) => sentinelMaster(i) === hostOf(promoted)).length >= 2,
      'most Sentinels report the new master',
    );
    expect(cli(promoted, 6379, 'GET', 'written-before')).toBe('1');

    // What the restarting node asks before it starts, so it never serves as a second master meanwhile.
    const asked = spawnSync('ip', ['netns', 'exec', namespaceOf(0), join(dir, 'scripts', 'find-master.sh')], {
      encoding: 'utf8',
      env: environment(0, 'valkey'),
    });
    expect(asked.stdout.trim()).toBe(hostOf(promoted));

    start(0, 'valkey');
    await eventually(() => role(0) === 'slave', 'the old master comes back as a replica');
    expect(masterHostOf(0)).toBe(hostOf(promoted));
  }, 300_000);
});
