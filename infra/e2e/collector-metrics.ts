/**
 * Spans the OpenTelemetry Collector's OTLP receivers accepted, read from its own Prometheus metrics (port 8888).
 * Collector releases name the counter with or without the `_total` suffix; both are summed over receivers.
 */
export function acceptedSpans(metricsText: string): number {
  let total = 0;
  for (const line of metricsText.split('\n')) {
    const match = /^otelcol_receiver_accepted_spans(?:_total)?(?:\{[^}]*\})?\s+([0-9.eE+-]+)/.exec(line);
    if (match) total += Number(match[1]);
  }
  return total;
}
