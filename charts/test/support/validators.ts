import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import { RequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/RequestAuthentication';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import {
  prometheusRuleSchema,
  serviceMonitorSchema,
} from '../../src/constructs/prometheus-operator-schemas.js';
import type { KubeObject } from '../../src/synth/synth-environment.js';

type Validate = (object: KubeObject) => void;

// Each model class takes its own typed data; the registry is keyed by apiVersion/kind, so the object fits.
const model =
  (Model: new (data: never) => { validate(): void }): Validate =>
  (o) =>
    new Model(o as never).validate();
const schema =
  (s: { parse(value: unknown): unknown }): Validate =>
  (o) => {
    s.parse(o);
  };

/** One validator per apiVersion/kind the chart emits; an object of any other kind has no schema and fails. */
export const validators: Readonly<Record<string, Validate>> = {
  'v1/ServiceAccount': model(ServiceAccount),
  'v1/ConfigMap': model(ConfigMap),
  'v1/Service': model(Service),
  'apps/v1/Deployment': model(Deployment),
  'batch/v1/Job': model(Job),
  'autoscaling/v2/HorizontalPodAutoscaler': model(HorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': model(PodDisruptionBudget),
  'networking.k8s.io/v1/NetworkPolicy': model(NetworkPolicy),
  'networking.istio.io/v1beta1/VirtualService': model(VirtualService),
  'networking.istio.io/v1beta1/DestinationRule': model(DestinationRule),
  'security.istio.io/v1beta1/PeerAuthentication': model(PeerAuthentication),
  'security.istio.io/v1beta1/AuthorizationPolicy': model(AuthorizationPolicy),
  'security.istio.io/v1beta1/RequestAuthentication': model(RequestAuthentication),
  'monitoring.coreos.com/v1/ServiceMonitor': schema(serviceMonitorSchema),
  'monitoring.coreos.com/v1/PrometheusRule': schema(prometheusRuleSchema),
};

export function validateObject(object: KubeObject): void {
  const validate = validators[`${object.apiVersion}/${object.kind}`];
  if (!validate) throw new Error(`no schema for ${object.apiVersion}/${object.kind}`);
  validate(object);
}
