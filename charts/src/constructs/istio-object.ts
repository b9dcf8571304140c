import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * An Istio custom resource with a spec typed by @kubernetes-models/istio (type-only: nothing of it runs here;
 * the tests validate the synthesized objects with the same package).
 */
export class IstioObject<Spec extends object> extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    props: {
      apiVersion: 'networking.istio.io/v1beta1' | 'security.istio.io/v1beta1';
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
