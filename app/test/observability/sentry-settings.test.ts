import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const dsn = 'https://0123456789abcdef@o1.ingest.example.com/4242';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('error reporting settings', () => {
  it('are off without SENTRY_DSN', () => {
    expect(loadConfig({ APP_ENV: 'local' }).errorReporting).toBeUndefined();
  });

  it('file events under the tier and the release under APP_VERSION unless told otherwise', () => {
    expect(loadConfig({ APP_ENV: 'local', APP_VERSION: '2.0.1', SENTRY_DSN: dsn }).errorReporting).toEqual({
      dsn,
      environment: 'local',
      release: '2.0.1',
      sampleRate: 1,
    });
    const told = loadConfig({
      APP_ENV: 'local',
      SENTRY_DSN: dsn,
      SENTRY_ENVIRONMENT: 'eu-prod',
      SENTRY_SAMPLE_RATE: '0.25',
    });
    expect(told.errorReporting).toMatchObject({ environment: 'eu-prod', sampleRate: 0.25 });
  });

  it('refuse at start a DSN the SDK would silently ignore, and a rate outside 0..1', () => {
    for (const bad of [
      'https://ingest.example.com/4242',
      'https://key@ingest.example.com/',
      'ftp://key@host/1',
    ]) {
      expect(problemsOf({ APP_ENV: 'local', SENTRY_DSN: bad }).join('\n'), bad).toMatch(/^SENTRY_DSN: /);
    }
    expect(problemsOf({ APP_ENV: 'local', SENTRY_DSN: dsn, SENTRY_SAMPLE_RATE: '1.5' })).toHaveLength(1);
  });
});
