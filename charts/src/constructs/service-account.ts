import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { service } from '../contract.js';
import { objectLabels } from './labels.js';

/**
 * The identity Vault's Kubernetes auth binds its role to. Tokens are not mounted by default; the pods that log
 * in to Vault (API, migration) opt in explicitly.
 */
export class AppServiceAccount extends kplus.k8s.KubeServiceAccount {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      metadata: { name: service.serviceAccount, labels: objectLabels('api') },
      automountServiceAccountToken: false,
    });
  }
}
