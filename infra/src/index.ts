import { serviceManifests } from './app/chart-manifests.js';
import { stageConfigFromEngine } from './config/pulumi-stage-config.js';
import { createPlatform } from './platform.js';

// Pulumi entry point (`pulumi up -s <stage>`): the stack's config, validated, drives every component.
const config = stageConfigFromEngine();
const platform = createPlatform(config, { manifests: serviceManifests });

export const otlpEndpoint = platform.otlpEndpoint;
export const vaultAddress = platform.vaultAddress;
export const databasePooledHost = platform.databasePooledHost;
export const databaseDirectHost = platform.databaseDirectHost;
export const redisHost = platform.redisHost;
export const ingressHosts = platform.ingressHosts;
// The deployed image: where the next infra preview and a rollback read it (`pulumi stack output imageDigest`).
export const image = config.app.image;
export const imageDigest = config.app.digest;
