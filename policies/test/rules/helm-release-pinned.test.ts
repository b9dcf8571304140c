import { describe, expect, it } from 'vitest';
import { helmReleasePinned } from '../../src/rules/helm-release-pinned.js';
import { verdict } from '../support/fixtures.js';

describe('helm-release-pinned', () => {
  it('accepts exact versions on v3 releases and v4 charts', () => {
    expect(verdict(helmReleasePinned, 'pass.yaml', 'prod')).toEqual([]);
  });

  it('rejects ranges, wildcards and a missing version', () => {
    expect(verdict(helmReleasePinned, 'fail.yaml', 'local')).toEqual([
      'Release cnpg-system/cnpg: chart version "^0.26.0" is not one exact version',
      'Release redis/redis: chart version "21.x" is not one exact version',
      'Release observability/otel: chart version is not set',
    ]);
  });
});
