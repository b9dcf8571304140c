import { type Json, q, type Rejections, record } from './istio-object.js';
import { cite } from './upstream-source.js';

/**
 * `selector` / `targetRef` / `targetRefs` of the security and telemetry kinds: at most one of them
 * (validateOneOfSelectorType); selector labels with no empty key and no wildcard (validateWorkloadSelector);
 * targetRef to a Service, ServiceEntry, Gateway or GatewayClass in the same namespace (validatePolicyTargetReference).
 */
export function checkWorkloadSelector(r: Rejections, spec: Json, selectorPath = 'spec.selector'): void {
  const selector = record(spec.selector);
  const targetRef = record(spec.targetRef);
  const targetRefs = Array.isArray(spec.targetRefs) ? spec.targetRefs : [];
  const set = [selector !== undefined, targetRef !== undefined, targetRefs.length > 0].filter(Boolean).length;
  if (set > 1) {
    r.add(
      'spec',
      'only one of targetRefs or workloadSelector can be set',
      cite('validation', 'validateOneOfSelectorType'),
    );
  }
  for (const [key, value] of Object.entries(record(selector?.matchLabels) ?? {})) {
    const pair = q(`${key}=${String(value)}`);
    if (key === '') {
      r.add(
        `${selectorPath}.matchLabels`,
        `empty key is not supported in selector: ${pair}`,
        cite('validation', 'validateWorkloadSelector'),
      );
    }
    if (key.includes('*') || String(value).includes('*')) {
      r.add(
        `${selectorPath}.matchLabels`,
        `wildcard is not supported in selector: ${pair}`,
        cite('validation', 'validateWorkloadSelector'),
      );
    }
  }
  const refs: [string, Json][] = targetRef ? [['spec.targetRef', targetRef]] : [];
  for (const [i, ref] of targetRefs.entries()) refs.push([`spec.targetRefs[${i}]`, record(ref) ?? {}]);
  for (const [path, ref] of refs) checkTargetRef(r, path, ref);
}

const allowedTargets = [
  'core/Service',
  'networking.istio.io/ServiceEntry',
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/GatewayClass',
];

function checkTargetRef(r: Rejections, path: string, ref: Json): void {
  const source = cite('validation', 'validatePolicyTargetReference');
  if (!ref.name) r.add(path, 'targetRef name must be set', source);
  if (ref.namespace)
    r.add(path, 'targetRef namespace must not be set; cross namespace referencing is not supported', source);
  const group = typeof ref.group === 'string' && ref.group !== '' ? ref.group : 'core';
  if (!allowedTargets.includes(`${group}/${String(ref.kind)}`)) {
    r.add(
      path,
      `targetRef must be to one of Service, ServiceEntry, Gateway, GatewayClass but was ${String(ref.group ?? '')}/${String(ref.kind)}`,
      source,
    );
  }
}
