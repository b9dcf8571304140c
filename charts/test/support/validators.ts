import { fileURLToPath } from 'node:url';
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
import { assertValid, crdValidator } from './crd-schema.js';

type Validate = (object: KubeObject) => void;

// Each model class takes its own typed data; the registry is keyed by apiVersion/kind, so the object fits.
const model =
  (Model: new (data: never) => { validate(): void }): Validate =>
  (o) =>
    new Model(o as never).validate();
// Istio 1.30 serves v1 and v1beta1 of each of these CRDs from one schema (istio/istio@1.30 manifests/charts/base/
// files/crd-all.gen.yaml); the model package only knows v1beta1, so a v1 object is checked under that name.
// The infra rehearsal checks the same objects against the 1.30 CRD schemas and istiod's validation rules.
const istioModel =
  (Model: new (data: never) => { validate(): void }, group: string): Validate =>
  (o) =>
    new Model({ ...o, apiVersion: `${group}/v1beta1` } as never).validate();
const schema =
  (s: { parse(value: unknown): unknown }): Validate =>
  (o) => {
    s.parse(o);
  };

/**
 * Argo Rollouts ships no model package: its objects are checked against the openAPIV3Schema of the pinned
 * release's CRDs (fixtures/argo-rollouts-crds@2.41.0, see its README), unknown fields refused.
 */
const argoRollouts = (kind: string): Validate => {
  const { validate } = crdValidator(
    fileURLToPath(
      new URL(`../fixtures/argo-rollouts-crds@2.41.0/argoproj.io_v1alpha1_${kind}.json`, import.meta.url),
    ),
  );
  return (o) => assertValid(validate, o, `${o.kind}/${o.metadata.name}`);
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
  'networking.istio.io/v1/VirtualService': istioModel(VirtualService, 'networking.istio.io'),
  'networking.istio.io/v1/DestinationRule': istioModel(DestinationRule, 'networking.istio.io'),
  'security.istio.io/v1/PeerAuthentication': istioModel(PeerAuthentication, 'security.istio.io'),
  'security.istio.io/v1/AuthorizationPolicy': istioModel(AuthorizationPolicy, 'security.istio.io'),
  'security.istio.io/v1/RequestAuthentication': istioModel(RequestAuthentication, 'security.istio.io'),
  'monitoring.coreos.com/v1/ServiceMonitor': schema(serviceMonitorSchema),
  'monitoring.coreos.com/v1/PrometheusRule': schema(prometheusRuleSchema),
  'argoproj.io/v1alpha1/Rollout': argoRollouts('Rollout'),
  'argoproj.io/v1alpha1/AnalysisTemplate': argoRollouts('AnalysisTemplate'),
};

export function validateObject(object: KubeObject): void {
  const validate = validators[`${object.apiVersion}/${object.kind}`];
  if (!validate) throw new Error(`no schema for ${object.apiVersion}/${object.kind}`);
  validate(object);
}
