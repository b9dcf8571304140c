/**
 * The versions this repository supports and runs, each stated here once. Code imports them from here;
 * Terraform, the Helm chart pins and the docs cannot import TypeScript, so the deploy rehearsal
 * (infra/test/rehearsal/versions/) compares each of them with this file, and this file with upstream.
 */
export const platformVersions = {
  kubernetes: {
    /**
     * The oldest cluster supported: the newest minimum among the components installed. Istio 1.30 needs 1.32
     * (istio/istio@1.30.3 istioctl/pkg/install/k8sversion/version.go, MinK8SVersion = 32); CloudNativePG's
     * chart asks >= 1.29 and `preStop.sleep` needs 1.30, both older.
     */
    minimum: '1.32',
    /** The newest cluster the pinned Istio is tested on (istio/istio@1.30.3 prow/integ-suite-kind.sh: v1.35.0). */
    maximum: '1.35',
  },
  /**
   * The local cluster's node image, pinned by digest: kind v0.29.0's default node image
   * (kubernetes-sigs/kind@v0.29.0 pkg/apis/config/defaults/image.go). terraform/kind/main.tf must name it.
   */
  kindNodeImage:
    'kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f',
  /** Istio's charts (base, istiod, gateway) ship together: one version for all three. */
  istio: '1.30.3',
  /** CloudNativePG: the operator chart, and the operator it installs (the chart's appVersion). */
  cloudnativePg: { chart: '0.29.0', operator: '1.30.0' },
} as const;

/** The minor version (`1.33`) of a Kubernetes version or kind node tag (`v1.33.1`). */
export function kubernetesMinor(version: string): string {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`"${version}" is not a Kubernetes version`);
  return `${match[1]}.${match[2]}`;
}

/** Whether a Kubernetes minor lies in the supported range (both ends included). */
export function isSupportedKubernetes(version: string): boolean {
  const [major, minor] = kubernetesMinor(version).split('.').map(Number) as [number, number];
  const [, minMinor] = platformVersions.kubernetes.minimum.split('.').map(Number) as [number, number];
  const [, maxMinor] = platformVersions.kubernetes.maximum.split('.').map(Number) as [number, number];
  return major === 1 && minor >= minMinor && minor <= maxMinor;
}
