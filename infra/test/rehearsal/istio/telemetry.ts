import { type Json, list, type Rejections, record, text } from './istio-object.js';
import { cite } from './upstream-source.js';
import { checkWorkloadSelector } from './workload-selector.js';

// ValidateTelemetry: istio/istio@1.30.3 pkg/config/validation/validation.go (validateTelemetryTracing,
// validateTelemetryMetrics, validateTelemetryAccessLogging, validateTelemetryProviders).

const V = (fn: string) => cite('validation', fn);

export function checkTelemetry(r: Rejections, spec: Json): void {
  checkWorkloadSelector(r, spec);
  for (const [i, entry] of (list(spec.tracing) ?? []).entries()) {
    const tracing = record(entry);
    if (!tracing) continue;
    const at = `spec.tracing[${i}]`;
    checkProviders(r, `${at}.providers`, tracing.providers);
    const sampling = tracing.randomSamplingPercentage; // a DoubleValue: a plain number in JSON
    if (typeof sampling === 'number' && (sampling < 0 || sampling > 100)) {
      r.add(
        `${at}.randomSamplingPercentage`,
        'randomSamplingPercentage must be in range [0.0, 100.0]',
        V('validateTelemetryTracing'),
      );
    }
    for (const [name, tag] of Object.entries(record(tracing.customTags) ?? {})) {
      checkCustomTag(r, `${at}.customTags.${name}`, name, tag);
    }
  }
  for (const [i, entry] of (list(spec.metrics) ?? []).entries()) {
    const metrics = record(entry);
    if (!metrics) continue;
    const at = `spec.metrics[${i}]`;
    checkProviders(r, `${at}.providers`, metrics.providers);
    for (const [j, o] of (list(metrics.overrides) ?? []).entries()) {
      const override = record(o);
      if (!override) {
        r.add(`${at}.overrides[${j}]`, 'tagOverrides may not be null', V('validateTelemetryMetrics'));
        continue;
      }
      for (const [tagName, t] of Object.entries(record(override.tagOverrides) ?? {})) {
        const tag = record(t);
        const path = `${at}.overrides[${j}].tagOverrides.${tagName}`;
        if (!tag) r.add(path, 'tagOverrides may not be null', V('validateTelemetryMetrics'));
        else if ((text(tag.operation) || 'UPSERT') === 'UPSERT' && text(tag.value) === '') {
          r.add(
            path,
            'tagOverrides.value must be set when operation is UPSERT',
            V('validateTelemetryMetrics'),
          );
        } else if (tag.operation === 'REMOVE' && text(tag.value) !== '') {
          r.add(
            path,
            'tagOverrides.value may only be set when operation is UPSERT',
            V('validateTelemetryMetrics'),
          );
        }
      }
      const match = record(override.match);
      if (match && 'customMetric' in match && text(match.customMetric) === '') {
        r.add(`${at}.overrides[${j}].match`, 'customMetric may not be empty', V('validateTelemetryMetrics'));
      }
    }
  }
  for (const [i, entry] of (list(spec.accessLogging) ?? []).entries()) {
    const logging = record(entry);
    if (logging) checkProviders(r, `spec.accessLogging[${i}].providers`, logging.providers);
    if (record(logging?.filter)) {
      r.add(
        `spec.accessLogging[${i}].filter`,
        'access log filters are not encoded in the rehearsal’s istiod rules: add them before use',
        V('validateTelemetryAccessLogging'),
      );
    }
  }
}

function checkProviders(r: Rejections, path: string, providers: unknown): void {
  for (const p of list(providers) ?? []) {
    if (text(record(p)?.name) === '') {
      r.add(path, 'providers.name may not be empty', V('validateTelemetryProviders'));
      return;
    }
  }
}

function checkCustomTag(r: Rejections, path: string, name: string, value: unknown): void {
  const source = V('validateTelemetryTracing');
  if (name === '') r.add(path, 'tag name may not be empty', source);
  const tag = record(value);
  if (!tag) {
    r.add(path, `tag '${name}' may not have a nil value`, source);
    return;
  }
  if (record(tag.literal) && text(record(tag.literal)?.value) === '')
    r.add(path, 'literal tag value may not be empty', source);
  if (record(tag.header) && text(record(tag.header)?.name) === '')
    r.add(path, 'header tag name may not be empty', source);
  if (record(tag.environment) && text(record(tag.environment)?.name) === '')
    r.add(path, 'environment tag name may not be empty', source);
}
