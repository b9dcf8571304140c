import type { KubeObject } from '@platform/charts';

/** A setting of the service whose value the chart and the platform must agree on. */
export interface SettingMismatch {
  key: string;
  chart: string | undefined;
  platform: string;
}

/**
 * Compares the service's ConfigMap with the addresses the platform components report. charts/ derives the
 * service's NetworkPolicy egress from the same values, so a silent override here would open the wrong hole;
 * disagreement is an error instead.
 */
export function settingMismatches(
  objects: readonly KubeObject[],
  platform: Readonly<Record<string, string>>,
): SettingMismatch[] {
  const data = objects
    .filter((o) => o.kind === 'ConfigMap')
    .map((o) => (o.data ?? {}) as Record<string, string>)
    .find((d) => Object.keys(platform).some((key) => key in d));
  return Object.entries(platform)
    .filter(([key, value]) => data?.[key] !== value)
    .map(([key, value]) => ({ key, chart: data?.[key], platform: value }));
}

export function assertSettingsAgree(
  objects: readonly KubeObject[],
  platform: Readonly<Record<string, string>>,
) {
  const mismatches = settingMismatches(objects, platform);
  if (mismatches.length > 0) {
    const lines = mismatches.map(
      (m) => `  - ${m.key}: chart has ${m.chart ?? '(unset)'}, platform has ${m.platform}`,
    );
    throw new Error(
      `the service's ConfigMap disagrees with the platform (fix charts/src/config/environments.ts or the stack config):\n${lines.join('\n')}`,
    );
  }
}
