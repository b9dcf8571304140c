import { describe, expect, it } from 'vitest';
import { cnpgProdCluster } from '../../src/rules/cnpg-prod-cluster.js';
import { verdict } from '../support/fixtures.js';

describe('cnpg-prod-cluster', () => {
  it('accepts three instances archiving through the Barman Cloud plugin on a schedule', () => {
    expect(verdict(cnpgProdCluster, 'pass.yaml', 'prod')).toEqual([]);
  });

  it('reports small clusters, missing destinations, and suspended or misdirected schedules', () => {
    expect(verdict(cnpgProdCluster, 'fail.yaml', 'prod')).toEqual([
      'Cluster shop/shop-db: runs 2 instance(s), prod needs at least 3',
      'Cluster shop/shop-db: has no backup destination (Barman Cloud plugin or barmanObjectStore)',
      'Cluster shop/shop-db: no active ScheduledBackup targets it',
      'Cluster shop/ledger-db: runs 1 instance(s), prod needs at least 3',
      'Cluster shop/ledger-db: no active ScheduledBackup targets it',
    ]);
  });

  it.each(['local', 'dev', 'staging'] as const)('leaves %s clusters to the stage config', (stage) => {
    expect(verdict(cnpgProdCluster, 'fail.yaml', stage)).toEqual([]);
  });
});
