export { AppChart, type AppChartProps, type ManifestGroup, manifestGroups } from './app-chart.js';
export type { Environment } from './config/environment-schema.js';
export { environmentSchema } from './config/environment-schema.js';
export { environments, runbookBaseUrl } from './config/environments.js';
export {
  type ImageReference,
  InvalidImageReference,
  isPlaceholderImage,
  localImage,
  parseImageReference,
  placeholderImage,
} from './config/image-reference.js';
export { migrationJobName } from './constructs/migration-job.js';
export { appSettings } from './runtime/app-settings.js';
export { connectionAddresses } from './runtime/connection-addresses.js';
export {
  apiDependencies,
  connectionSettings,
  type Dependency,
  dependenciesOf,
  migrationDependencies,
  type ProcessName,
  workerDependencies,
} from './runtime/dependencies.js';
export { meshSidecar } from './runtime/mesh-sidecar.js';
export { imageEnvVar } from './synth/cli.js';
export { renderManifests, summaryLine } from './synth/render-manifests.js';
export { type KubeObject, type SynthesizedEnvironment, synthEnvironment } from './synth/synth-environment.js';
export { writeManifests } from './synth/write-manifests.js';
export { isSupportedKubernetes, kubernetesMinor, platformVersions } from './versions.js';
