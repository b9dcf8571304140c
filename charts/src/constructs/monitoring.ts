import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import { service } from '../contract.js';
import { prometheusRuleSpec } from './alert-rules.js';
import type { ServiceObjectives } from './alerts/slo.js';
import { type Component, objectLabels, selectorLabels } from './labels.js';
import type { ServiceMonitorSpec } from './prometheus-operator-schemas.js';

/*
 * Prometheus scrapes through the mesh with the workload certificate Istio writes for it (Istio's documented
 * Prometheus setup: sidecar with outputCerts, no inbound capture). That certificate is the scraper principal
 * the AuthorizationPolicy allows, in STRICT and PERMISSIVE stages alike. Only a ServiceMonitor may name
 * certificate files: a PodMonitor takes TLS material from Secrets only (prometheus-operator issue #3922), so
 * the worker, which has no Service of its own, gets a headless one for scraping.
 */
const istioCertificates = {
  caFile: '/etc/prom-certs/root-cert.pem',
  certFile: '/etc/prom-certs/cert-chain.pem',
  keyFile: '/etc/prom-certs/key.pem',
  insecureSkipVerify: true,
};

export interface MonitoringOptions {
  /** The stage's service level objectives (`slo` in the stage config). */
  readonly objectives: ServiceObjectives;
  /**
   * Scrape the worker's /metrics on its port. Needs the worker's NetworkPolicy and AuthorizationPolicy to
   * admit the scraper on that port and path, as they do for the API.
   */
  readonly scrapeWorker?: boolean;
}

/** The Service name the worker's metrics are scraped through (headless: no traffic is routed to it). */
export const workerMetricsService = `${service.worker.name}-metrics`;

/** Scrape configuration and alerting rules for the Prometheus Operator. */
export class Monitoring extends Construct {
  constructor(scope: Construct, id: string, env: Environment, options: MonitoringOptions) {
    super(scope, id);

    this.serviceMonitor('service-monitor', service.name, 'api', env);

    if (options.scrapeWorker) {
      new kplus.k8s.KubeService(this, 'worker-metrics-service', {
        metadata: { name: workerMetricsService, labels: objectLabels('worker') },
        spec: {
          clusterIp: 'None',
          selector: selectorLabels('worker'),
          ports: [
            {
              name: 'http',
              port: service.worker.port,
              targetPort: kplus.k8s.IntOrString.fromString('http'),
              protocol: 'TCP',
            },
          ],
        },
      });
      this.serviceMonitor('worker-service-monitor', service.worker.name, 'worker', env);
    }

    new ApiObject(this, 'prometheus-rule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: service.name, labels: objectLabels('api') },
      spec: prometheusRuleSpec(env, options.objectives),
    });
  }

  /** Scrapes /metrics on the port named `http` of the Service carrying the component's labels. */
  private serviceMonitor(id: string, name: string, component: Component, env: Environment): void {
    const scrape: ServiceMonitorSpec = {
      selector: { matchLabels: selectorLabels(component) },
      namespaceSelector: { matchNames: [service.namespace] },
      endpoints: [
        {
          port: 'http',
          path: service.paths.metrics,
          interval: env.monitoring.scrapeInterval,
          scrapeTimeout: '10s',
          scheme: 'https',
          tlsConfig: istioCertificates,
        },
      ],
    };
    new ApiObject(this, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name, labels: objectLabels(component) },
      spec: scrape,
    });
  }
}
