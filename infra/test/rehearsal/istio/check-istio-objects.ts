import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { Finding } from '../findings.js';
import { checkAuthorizationPolicy } from './authorization-policy.js';
import { checkDestinationRule } from './destination-rule.js';
import { checkGateway } from './gateway.js';
import { type IstioObject, isIstioObject, type Json, Rejections, record, text } from './istio-object.js';
import { checkPeerAuthentication } from './peer-authentication.js';
import { checkRequestAuthentication } from './request-authentication.js';
import { checkTelemetry } from './telemetry.js';
import { cite } from './upstream-source.js';
import { checkVirtualService } from './virtual-service.js';

type KindCheck = (r: Rejections, spec: Json) => void;

/** istiod's validation per group/kind; the version does not matter to the webhook (it looks up group and kind). */
const checks: Readonly<Record<string, KindCheck>> = {
  'networking.istio.io/VirtualService': checkVirtualService,
  'networking.istio.io/DestinationRule': checkDestinationRule,
  'networking.istio.io/Gateway': checkGateway,
  'security.istio.io/PeerAuthentication': checkPeerAuthentication,
  'security.istio.io/AuthorizationPolicy': checkAuthorizationPolicy,
  'security.istio.io/RequestAuthentication': checkRequestAuthentication,
  'telemetry.istio.io/Telemetry': checkTelemetry,
};

/** Top-level fields the webhook accepts (server.go validFields, checkFields). */
const topLevelFields = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
const dryRun = 'istio.io/dry-run';

/**
 * What istiod's validating webhook (istio/istio@1.30.3) would refuse among these objects: one finding per error,
 * with the message istiod gives. Non-Istio objects are ignored; an Istio kind without encoded rules is a finding,
 * so a new kind cannot pass unchecked.
 */
export function checkIstioObjects(objects: readonly unknown[]): Finding[] {
  return objects.filter(isIstioObject).flatMap(checkIstioObject);
}

function checkIstioObject(object: IstioObject): Finding[] {
  const r = new Rejections(object);
  const group = object.apiVersion.split('/')[0];
  const check = checks[`${group}/${object.kind}`];
  if (!check) {
    r.add(
      '',
      `no istiod rules encoded for ${group}/${object.kind}: add them before emitting it`,
      cite('validation', 'ValidateFunc registry'),
    );
    return r.findings;
  }
  checkMetadata(r, object);
  check(r, record(object.spec) ?? {});
  for (const key of Object.keys(object)) {
    if (!topLevelFields.has(key)) {
      r.add(
        key,
        `unknown field "${key}" on ${object.kind} resource ${object.metadata.namespace ?? ''}/${object.metadata.name}`,
        cite('webhook', 'checkFields'),
      );
    }
  }
  return r.findings;
}

/** validateMetadata: only an ALLOW or DENY AuthorizationPolicy may carry istio.io/dry-run, as a boolean. */
function checkMetadata(r: Rejections, object: IstioObject): void {
  const value = object.metadata.annotations?.[dryRun];
  if (value === undefined) return;
  const { namespace = '', name } = object.metadata;
  const source = cite('validation', 'checkDryRunAnnotation');
  if (object.kind !== 'AuthorizationPolicy') {
    r.add(
      'metadata.annotations',
      `${namespace}/${name} has unsupported annotation ${dryRun}, please remove the annotation`,
      source,
    );
    return;
  }
  const action = text(record(object.spec)?.action) || 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') {
    r.add(
      'metadata.annotations',
      `the annotation ${dryRun} currently only supports action ALLOW/DENY, found action ${action} in ${namespace}/${name}`,
      source,
    );
  } else if (
    !['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)
  ) {
    r.add(
      'metadata.annotations',
      `${namespace}/${name} has annotation ${dryRun} with invalid value (${value})`,
      source,
    );
  }
}

/**
 * The Istio objects among what the program registers: custom resources (`kubernetes:<group>/<version>:<Kind>`,
 * inputs are the object) and the chart objects inside `kubernetes:yaml/v2:ConfigGroup` inputs.objs.
 */
export function istioObjectsOf(resources: readonly RegisteredResource[]): IstioObject[] {
  return resources.flatMap((resource) => {
    if (resource.type === 'kubernetes:yaml/v2:ConfigGroup') {
      const objs = resource.inputs.objs;
      return (Array.isArray(objs) ? objs : []).filter(isIstioObject);
    }
    return isIstioObject(resource.inputs) ? [resource.inputs] : [];
  });
}
