import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { readTelemetrySettings } from '../../src/config/telemetry-settings.js';
import { testEnv } from '../support/test-app.js';

describe('telemetry settings', () => {
  it('sample every trace in local and dev, fewer in staging and prod, unless told otherwise', () => {
    const ratio = (env: Record<string, string>) => {
      const settings = readTelemetrySettings(env);
      if ('problems' in settings) throw new Error(settings.problems.join('; '));
      return settings.sampleRatio;
    };
    expect(ratio({ APP_ENV: 'local' })).toBe(1);
    expect(ratio({ APP_ENV: 'dev' })).toBe(1);
    expect(ratio({ APP_ENV: 'staging' })).toBeLessThan(1);
    expect(ratio({ APP_ENV: 'prod' })).toBeLessThan(ratio({ APP_ENV: 'staging' }));
    expect(ratio({ APP_ENV: 'production', TRACES_SAMPLE_RATIO: '0.5' })).toBe(0.5);
  });

  it('trace Redis commands and the Koa route where developers read traces, HTTP and SQL only in staging and prod', () => {
    const detail = (env: Record<string, string>) => {
      const settings = readTelemetrySettings(env);
      if ('problems' in settings) throw new Error(settings.problems.join('; '));
      return settings.detail;
    };
    expect(detail({ APP_ENV: 'local' })).toBe('full');
    expect(detail({ APP_ENV: 'dev' })).toBe('full');
    expect(detail({ APP_ENV: 'staging' })).toBe('requests');
    expect(detail({ APP_ENV: 'prod' })).toBe('requests');
    expect(detail({ APP_ENV: 'prod', TRACES_DETAIL: 'middleware' })).toBe('middleware');
    expect(readTelemetrySettings({ APP_ENV: 'prod', TRACES_DETAIL: 'everything' })).toEqual({
      problems: [expect.stringMatching(/^TRACES_DETAIL: /)],
    });
  });

  it('are read by the bootstrap before secrets exist: a prod environment without its database URL is enough', () => {
    expect(
      readTelemetrySettings({
        APP_ENV: 'prod',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
      }),
    ).toMatchObject({
      enabled: true,
      tier: 'prod',
      otlp: { endpoint: 'http://otel-collector.observability:4318', protocol: 'http/protobuf' },
      localOutput: { kind: 'none' },
    });
  });

  it('tell the exporters to leave paths and exception messages out in HIPAA mode', () => {
    expect(readTelemetrySettings({ APP_ENV: 'prod' })).toMatchObject({ withoutPersonalData: false });
    expect(readTelemetrySettings({ APP_ENV: 'prod', HIPAA_MODE: 'true' })).toMatchObject({
      withoutPersonalData: true,
    });
  });

  it('export nothing without an endpoint, and print locally only when asked', () => {
    expect(readTelemetrySettings({ APP_ENV: 'local' })).toMatchObject({
      otlp: undefined,
      localOutput: { kind: 'none' },
    });
    expect(readTelemetrySettings({ APP_ENV: 'local', TRACES_LOCAL_OUTPUT: 'file' })).toMatchObject({
      localOutput: { kind: 'file', path: '.data/spans.jsonl' },
    });
  });

  it('name the variable that is wrong', () => {
    expect(readTelemetrySettings({ APP_ENV: 'dev', TRACES_SAMPLE_RATIO: '2' })).toEqual({
      problems: [expect.stringMatching(/^TRACES_SAMPLE_RATIO: /)],
    });
    expect(() =>
      loadConfig(
        testEnv({
          DATABASE_URL: 'postgresql://x@localhost/x',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        }),
      ),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('are part of the service configuration, with the metrics access list', () => {
    const cfg = loadConfig(
      testEnv({
        DATABASE_URL: 'postgresql://x@localhost/x',
        METRICS_ALLOWED_NETWORKS: '10.0.0.0/8, 127.0.0.1',
      }),
    );
    expect(cfg.metrics.allowedNetworks).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(cfg.telemetry.serviceName).toBe('platform-api');
  });
});
