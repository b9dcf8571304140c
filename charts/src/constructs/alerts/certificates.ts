import { mesh, service } from '../../contract.js';
import type { AlertGroup } from './rule.js';

const day = 86_400;
export const certificateThresholds = {
  /** cert-manager renews at two thirds of a certificate's life (30 days before a 90-day one ends). */
  certificateDays: 14,
  /** Istio's self-signed root lives ten years; a plugged-in CA is replaced by hand, so warn early. */
  meshRootDays: 30,
} as const;

/*
 * cert-manager v1.21.1 internal/collectors/certificate_collector.go: `certmanager_certificate_expiration_
 * timestamp_seconds{name,namespace,issuer_name,issuer_kind,issuer_group}`, 0 until the certificate is issued
 * (hence `> 0`). Istio 1.30.3 security/pkg/server/ca/monitoring.go: istiod's
 * `citadel_server_root_cert_expiry_timestamp`. Both Apache-2.0.
 */
export function certificateAlerts(): AlertGroup {
  const t = certificateThresholds;
  const expiry = 'certmanager_certificate_expiration_timestamp_seconds';
  return {
    name: `${service.name}.certificates`,
    alerts: [
      {
        alert: 'PlatformCertificateExpiringSoon',
        expr: `${expiry} > 0 and ${expiry} - time() < ${t.certificateDays * day}`,
        for: '1h',
        summary: `A cert-manager certificate expires within ${t.certificateDays} days`,
        description:
          'Certificate {{ $labels.name }} (issuer {{ $labels.issuer_name }}) expires at {{ $value | humanizeTimestamp }}: cert-manager has not renewed it.',
        urgency: 'page',
      },
      {
        alert: 'PlatformMeshRootCertExpiringSoon',
        expr: `min(citadel_server_root_cert_expiry_timestamp{namespace="${mesh.istioNamespace}"}) - time() < ${t.meshRootDays * day}`,
        for: '1h',
        summary: `Istio's root certificate expires within ${t.meshRootDays} days`,
        description:
          'The mesh root certificate expires in {{ $value | humanizeDuration }}; after that no workload certificate validates and mTLS fails everywhere.',
        urgency: 'page',
      },
    ],
  };
}
