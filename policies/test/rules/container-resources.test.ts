import { describe, expect, it } from 'vitest';
import { containerResources } from '../../src/rules/container-resources.js';
import { verdict } from '../support/fixtures.js';

describe('container-resources', () => {
  it('accepts requests plus a memory limit without requiring a CPU limit', () => {
    expect(verdict(containerResources, 'pass.yaml', 'prod')).toEqual([]);
  });

  it('names every missing request and limit, Jobs included', () => {
    expect(verdict(containerResources, 'fail.yaml', 'staging')).toEqual([
      'Deployment shop/web: container "web": missing resources.limits.memory',
      'Job shop/migrate: container "migrate": missing resources.requests.cpu, resources.requests.memory, resources.limits.memory',
    ]);
  });
});
