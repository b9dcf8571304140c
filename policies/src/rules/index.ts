import type { Rule } from '../model/rule.js';
import { cnpgProdCluster } from './cnpg-prod-cluster.js';
import { containerResources } from './container-resources.js';
import { helmReleasePinned } from './helm-release-pinned.js';
import { imagePinned } from './image-pinned.js';
import { meshMtlsStrict } from './mesh-mtls-strict.js';
import { networkPolicyDefaultDeny } from './network-policy-default-deny.js';
import { noSecretLiterals } from './no-secret-literals.js';
import { podSecurityRestricted } from './pod-security-restricted.js';
import { poolerTransactionMode } from './pooler-transaction-mode.js';
import { probesPresent } from './probes-present.js';
import { prodAvailability } from './prod-availability.js';

/** The one rule set every gate runs: unit tests, `npm run policy` over charts/dist, and CrossGuard. */
export const rules: readonly Rule[] = [
  podSecurityRestricted,
  containerResources,
  probesPresent,
  imagePinned,
  noSecretLiterals,
  prodAvailability,
  meshMtlsStrict,
  networkPolicyDefaultDeny,
  cnpgProdCluster,
  poolerTransactionMode,
  helmReleasePinned,
];
