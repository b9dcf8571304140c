import { spawnSync } from 'node:child_process';
import { redis as names, service } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { redisObjects } from '../src/redis/redis-objects.js';
import {
  findMasterScript,
  startSentinelScript,
  startValkeyScript,
  valkeyConf,
} from '../src/redis/valkey-scripts.js';
import { loadStageConfig } from '../src/testing/index.js';

/** Selectors are Pulumi inputs in the types; here they are plain objects. */
const matchLabels = (selector: unknown) => (selector as { matchLabels: Record<string, string> }).matchLabels;

describe('Redis objects', () => {
  it.each([
    ['start-valkey.sh', startValkeyScript],
    ['find-master.sh', findMasterScript],
    ['start-sentinel.sh', startSentinelScript],
  ])('%s is valid POSIX sh', (_name, script) => {
    const check = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('standalone: one node, and redis-master selects it directly', () => {
    const objects = redisObjects(loadStageConfig('local').redis);
    expect(objects.nodes.spec.replicas).toBe(1);
    expect(objects.proxy).toBeUndefined();
    expect(objects.masterService.spec.selector).toEqual(matchLabels(objects.nodes.spec.selector));
  });

  it('sentinel: the proxy health-checks every node by its stable DNS name', () => {
    const objects = redisObjects(loadStageConfig('prod').redis);
    const config = objects.proxyConfig?.data['haproxy.cfg'] ?? '';
    for (const i of [0, 1, 2]) {
      expect(config).toContain(
        `server node-${i} ${names.release}-${i}.redis-nodes.${names.namespace}.svc.cluster.local:6379`,
      );
    }
    expect(config).not.toContain('server node-3');
    expect(objects.masterService.spec.selector).toEqual(matchLabels(objects.proxy?.spec.selector));
  });

  it('keeps data on disk only where the stage asks for persistence', () => {
    expect(valkeyConf(true)).toContain('appendonly yes');
    expect(valkeyConf(false)).toContain('save ""');
    expect(redisObjects(loadStageConfig('prod').redis).nodes.spec.volumeClaimTemplates).toHaveLength(1);
    expect(redisObjects(loadStageConfig('local').redis).nodes.spec.volumeClaimTemplates).toBeUndefined();
  });

  it('lets the service reach only redis-master: the node standalone, the proxy (not the nodes) with Sentinel', () => {
    const fromService = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': service.namespace } },
    };
    const admits = (policies: ReturnType<typeof redisObjects>['networkPolicies']) =>
      policies
        .filter((p) =>
          (p.spec.ingress as { from?: unknown }[] | undefined)?.some(
            (rule) => JSON.stringify(rule.from) === JSON.stringify([fromService]),
          ),
        )
        .map((p) => p.metadata.name);
    expect(admits(redisObjects(loadStageConfig('dev').redis).networkPolicies)).toEqual(['redis-nodes']);
    expect(admits(redisObjects(loadStageConfig('prod').redis).networkPolicies)).toEqual([
      'redis-master-proxy',
    ]);
    const [deny] = redisObjects(loadStageConfig('prod').redis).networkPolicies;
    expect(deny).toEqual({
      metadata: { name: 'default-deny', namespace: names.namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
  });
});
