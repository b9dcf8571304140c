import { synthEnvironment } from '@platform/charts';
import { describe, expect, it } from 'vitest';
import { assertSettingsAgree, settingMismatches } from '../src/app/platform-settings.js';

const chart = synthEnvironment('dev', {
  image: `ghcr.io/platform-org/platform-api@sha256:${'1'.repeat(64)}`,
});

describe("the service's settings against the platform's", () => {
  it('agree when the chart carries the addresses the components report', () => {
    const platform = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc.cluster.local:4318',
      VAULT_ADDR: 'https://vault.dev.platform.example.com:8200',
    };
    expect(settingMismatches(chart.objects, platform)).toEqual([]);
  });

  it('name every key that differs, with both values, and refuse to deploy', () => {
    const platform = {
      VAULT_ADDR: 'https://vault.elsewhere.example.com:8200',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc.cluster.local:4318',
      VAULT_K8S_ROLE: 'another-role',
    };
    expect(settingMismatches(chart.objects, platform)).toEqual([
      {
        key: 'VAULT_ADDR',
        chart: 'https://vault.dev.platform.example.com:8200',
        platform: platform.VAULT_ADDR,
      },
      { key: 'VAULT_K8S_ROLE', chart: 'platform-api', platform: 'another-role' },
    ]);
    expect(() => assertSettingsAgree(chart.objects, platform)).toThrow(
      /VAULT_ADDR: chart has https:\/\/vault\.dev\.platform\.example\.com:8200, platform has https:\/\/vault\.elsewhere/,
    );
  });

  it('treat a chart without the settings as disagreeing', () => {
    expect(settingMismatches([], { VAULT_ADDR: 'x' })).toEqual([
      { key: 'VAULT_ADDR', chart: undefined, platform: 'x' },
    ]);
  });
});
