import { parse } from 'yaml';

interface CollectorConfig {
  receivers?: Record<string, unknown>;
  processors?: Record<string, unknown>;
  exporters?: Record<string, unknown>;
  connectors?: Record<string, unknown>;
  service?: {
    pipelines?: Record<string, { receivers?: string[]; processors?: string[]; exporters?: string[] }>;
  };
}

const kinds = ['receivers', 'processors', 'exporters'] as const;

/**
 * What the collector checks when it loads its configuration: the file parses, there is at least one pipeline,
 * each has a receiver and an exporter, and every component a pipeline names is defined (a connector may stand
 * for a receiver or an exporter). Component ids are `type[/name]`.
 */
export function collectorProblems(text: string): string[] {
  let config: CollectorConfig;
  try {
    config = (parse(text) ?? {}) as CollectorConfig;
  } catch (error) {
    return [`does not parse: ${(error as Error).message}`];
  }
  const pipelines = Object.entries(config.service?.pipelines ?? {});
  if (pipelines.length === 0) return ['service.pipelines: no pipeline'];
  const connectors = Object.keys(config.connectors ?? {});
  return pipelines.flatMap(([pipeline, spec]) => {
    const problems: string[] = [];
    if (!/^(traces|metrics|logs|profiles)(\/.+)?$/.test(pipeline)) {
      problems.push(`pipeline ${pipeline}: not a signal (traces, metrics, logs, profiles)`);
    }
    for (const kind of kinds) {
      const named = spec[kind] ?? [];
      if (kind !== 'processors' && named.length === 0) problems.push(`pipeline ${pipeline}: no ${kind}`);
      const defined = new Set([
        ...Object.keys(config[kind] ?? {}),
        ...(kind === 'processors' ? [] : connectors),
      ]);
      for (const id of named) {
        if (!defined.has(id)) problems.push(`pipeline ${pipeline}: ${kind} "${id}" is not defined`);
      }
    }
    return problems;
  });
}
