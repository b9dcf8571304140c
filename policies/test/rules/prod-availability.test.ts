import { describe, expect, it } from 'vitest';
import { prodAvailability } from '../../src/rules/prod-availability.js';
import { verdict } from '../support/fixtures.js';

describe('prod-availability', () => {
  it("counts an autoscaler's minimum (a Rollout's for the Deployment it runs) and matches PDBs by labels or expressions", () => {
    expect(verdict(prodAvailability, 'pass.yaml', 'prod')).toEqual([]);
  });

  it('reports too few replicas and PDBs that select other pods or sit in another namespace', () => {
    expect(verdict(prodAvailability, 'fail.yaml', 'prod')).toEqual([
      'Deployment shop/web: runs as few as 1 replica(s), prod needs at least 2',
      'Deployment shop/web: no PodDisruptionBudget selects its pods',
      'Deployment shop/worker: runs as few as 1 replica(s), prod needs at least 2',
      'Deployment shop/worker: no PodDisruptionBudget selects its pods',
      'Deployment shop/api: runs as few as 1 replica(s), prod needs at least 2',
    ]);
  });

  it.each(['local', 'dev', 'staging'] as const)('leaves %s free to run a single replica', (stage) => {
    expect(verdict(prodAvailability, 'fail.yaml', stage)).toEqual([]);
  });
});
