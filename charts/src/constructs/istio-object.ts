import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * An Istio custom resource at the API version Istio 1.30 serves and stores (`v1`), the one the platform program
 * uses too. The spec is typed by @kubernetes-models/istio's v1beta1 types (type-only): Istio generates every served
 * version of a CRD from the same proto, so the v1beta1 and v1 specs are the same fields.
 */
export class IstioObject<Spec extends object> extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    props: {
      apiVersion: 'networking.istio.io/v1' | 'security.istio.io/v1';
      kind: string;
      name: string;
      labels: Record<string, string>;
      spec: Spec;
    },
  ) {
    super(scope, id, {
      apiVersion: props.apiVersion,
      kind: props.kind,
      metadata: { name: props.name, labels: props.labels },
      spec: props.spec,
    });
  }
}
