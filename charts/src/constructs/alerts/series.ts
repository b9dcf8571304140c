import { postgres, service } from '../../contract.js';

/*
 * Label matchers for the series each group reads. Processes are told apart by `container` (the Workload names
 * each container after its component), not by `service`: in canary stages the API's pods sit behind a stable
 * and a canary Service, and between releases both select the same pods, so each pod is scraped twice. Ratios
 * and quantiles are unchanged by that; counts are taken per pod with `max by (pod, ...)` before any sum.
 */
export const matchers = {
  namespace: `namespace="${service.namespace}"`,
  api: `namespace="${service.namespace}", container="api"`,
  worker: `namespace="${service.namespace}", container="worker"`,
  /** PgBouncer's pool for the service's database (CloudNativePG labels each pool by `database` and `user`). */
  pooler: `namespace="${postgres.namespace}", database="${postgres.database}"`,
} as const;

/** `rate(<metric>{<matchers>}[<window>])`, the building block of every ratio below. */
export function rate(metric: string, labels: string, window: string): string {
  return `rate(${metric}{${labels}}[${window}])`;
}
