import * as kplus from 'cdk8s-plus-33';
import { service } from '../contract.js';

const k8s = kplus.k8s;

/** Pod Security Standards "restricted", plus a read-only root filesystem: writes go to emptyDir volumes. */
export function podSecurityContext(): kplus.k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: service.uid,
    runAsGroup: service.uid,
    fsGroup: service.uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): kplus.k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: service.uid,
    runAsGroup: service.uid,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function resourceRequirements(resources: {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}): kplus.k8s.ResourceRequirements {
  return {
    requests: {
      cpu: k8s.Quantity.fromString(resources.requests.cpu),
      memory: k8s.Quantity.fromString(resources.requests.memory),
    },
    limits: {
      cpu: k8s.Quantity.fromString(resources.limits.cpu),
      memory: k8s.Quantity.fromString(resources.limits.memory),
    },
  };
}

/** Node, its tools and tsx write temporary files; the root filesystem stays read-only. */
export const tmpVolume: kplus.k8s.Volume = {
  name: 'tmp',
  emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') },
};
export const tmpMount: kplus.k8s.VolumeMount = { name: 'tmp', mountPath: '/tmp' };
