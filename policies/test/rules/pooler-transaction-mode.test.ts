import { describe, expect, it } from 'vitest';
import { poolerTransactionMode } from '../../src/rules/pooler-transaction-mode.js';
import { verdict } from '../support/fixtures.js';

describe('pooler-transaction-mode', () => {
  it('accepts a transaction-mode Pooler', () => {
    expect(verdict(poolerTransactionMode, 'pass.yaml', 'prod')).toEqual([]);
  });

  it('rejects session mode, whether set or left to the operator default', () => {
    expect(verdict(poolerTransactionMode, 'fail.yaml', 'local')).toEqual([
      'Pooler shop/shop-db-pooler: pgbouncer.poolMode is session, not transaction',
      'Pooler shop/shop-db-pooler-ro: pgbouncer.poolMode is unset (session), not transaction',
    ]);
  });
});
