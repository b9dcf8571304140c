import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import { service } from '../contract.js';
import { alertRules } from './alert-rules.js';
import { objectLabels, selectorLabels } from './labels.js';
import type { PrometheusRuleSpec, ServiceMonitorSpec } from './prometheus-operator-schemas.js';

/*
 * Prometheus scrapes through the mesh with the workload certificate Istio writes for it (Istio's documented
 * Prometheus setup: sidecar with outputCerts, no inbound capture). That certificate is the scraper principal
 * the AuthorizationPolicy allows, in STRICT and PERMISSIVE stages alike.
 */
const istioCertificates = {
  caFile: '/etc/prom-certs/root-cert.pem',
  certFile: '/etc/prom-certs/cert-chain.pem',
  keyFile: '/etc/prom-certs/key.pem',
  insecureSkipVerify: true,
};

/** Scrape configuration and alerting rules for the Prometheus Operator. */
export class Monitoring extends Construct {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id);
    const labels = objectLabels('api');

    const scrape: ServiceMonitorSpec = {
      selector: { matchLabels: selectorLabels('api') },
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
    new ApiObject(this, 'service-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: service.name, labels },
      spec: scrape,
    });

    const rules: PrometheusRuleSpec = { groups: [{ name: `${service.name}.rules`, rules: alertRules(env) }] };
    new ApiObject(this, 'prometheus-rule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: service.name, labels },
      spec: rules,
    });
  }
}
