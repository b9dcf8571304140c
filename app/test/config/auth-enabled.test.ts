import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { configProblems } from '../support/config-problems.js';

const refusal = (tier: string) =>
  `AUTH_ENABLED: false is for the local tier only (APP_ENV=local, \`npm start\`), not ${tier}; remove AUTH_ENABLED or set it to true`;

describe('AUTH_ENABLED', () => {
  it('is on by default in every tier, and may be turned off in the local tier', () => {
    expect(loadConfig({}).auth.enabled).toBe(true);
    expect(loadConfig({ AUTH_ENABLED: 'false' }).auth.enabled).toBe(false);
  });

  it.each(['dev', 'integration', 'staging', 'prod'])('false is refused at start in %s', (tier) => {
    const canonical = tier === 'integration' ? 'dev' : tier;
    expect(configProblems({ APP_ENV: tier, AUTH_ENABLED: 'false' })).toContain(refusal(canonical));
    expect(configProblems({ APP_ENV: tier, AUTH_ENABLED: 'true' })).not.toContain(refusal(canonical));
  });
});
