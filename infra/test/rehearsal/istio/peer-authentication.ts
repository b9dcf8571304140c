import { type Json, type Rejections, record } from './istio-object.js';
import { cite } from './upstream-source.js';
import { checkWorkloadSelector } from './workload-selector.js';

const source = cite('validation', 'ValidatePeerAuthentication');

/**
 * ValidatePeerAuthentication: port-level mTLS needs a workload selector (a mesh- or namespace-wide policy has no
 * ports), must not be an empty map, and names ports 1..65535.
 */
export function checkPeerAuthentication(r: Rejections, spec: Json): void {
  const selectorLabels = record(record(spec.selector)?.matchLabels) ?? {};
  const portLevel = record(spec.portLevelMtls);
  const ports = Object.keys(portLevel ?? {});
  if (Object.keys(selectorLabels).length === 0 && ports.length > 0) {
    r.add('spec.portLevelMtls', 'mesh/namespace peer authentication cannot have port level mTLS', source);
  }
  if (portLevel && ports.length === 0) {
    r.add('spec.portLevelMtls', 'port level mTLS, if defined, must have at least one element', source);
  }
  for (const port of ports) {
    const n = Number(port);
    if (!Number.isInteger(n) || n <= 0 || n > 65535)
      r.add(`spec.portLevelMtls.${port}`, 'port must be in range 1..65535', source);
  }
  checkWorkloadSelector(r, { selector: spec.selector });
}
