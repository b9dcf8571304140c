import { getMetricsFromIterator, type PromHistogramData, type PromMetrics } from 'prom2javascript';

/** GET /metrics, parsed by a Prometheus text-format parser. */
export async function scrape(baseUrl: string): Promise<PromMetrics> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  // NaN is valid in the format (an event-loop gauge before its first sample) but this parser cannot read it.
  const lines = (await response.text()).split('\n').filter((line) => !/\sNan$/i.test(line));
  return getMetricsFromIterator(lines[Symbol.iterator]());
}

export const requestDuration = 'http_server_request_duration_seconds';

/** The histogram series with exactly these labels, if any. */
export function series(metrics: PromMetrics, name: string, labels: Record<string, string>) {
  const data = (metrics[name]?.data ?? []) as PromHistogramData[];
  return data.find(
    (entry) =>
      Object.entries(labels).every(([key, value]) => entry.labels[key] === value) &&
      Object.keys(entry.labels).length === Object.keys(labels).length,
  );
}

/** A counter or gauge value (0 when the series does not exist yet). */
export function sampleValue(metrics: PromMetrics, name: string, labels: Record<string, string> = {}): number {
  const data = (metrics[name]?.data ?? []) as { labels: Record<string, string>; value: number }[];
  const found = data.find((entry) =>
    Object.entries(labels).every(([key, value]) => entry.labels[key] === value),
  );
  return found?.value ?? 0;
}

/** Every label set of a metric, as sorted `key=value` strings. */
export const labelSets = (metrics: PromMetrics, name: string) =>
  (metrics[name]?.data ?? []).map((entry) =>
    Object.entries(entry.labels)
      .sort()
      .map(([key, value]) => `${key}=${value}`)
      .join(','),
  );
