import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bindMountsOf, type ComposeFile, dependenciesOf, repoRoot } from './compose-file.js';

/**
 * Rules `docker compose up` enforces that the schema cannot express, each returning one line per problem:
 * a dependency on a service that does not exist, `service_healthy` on a service without a healthcheck, a
 * dependency cycle, two services publishing the same host port.
 */
export function dependencyProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [target, condition] of Object.entries(dependenciesOf(service))) {
      const dependency = compose.services[target];
      if (!dependency) {
        problems.push(`${name}: depends on "${target}", which is not a service`);
        continue;
      }
      const checked = dependency.healthcheck && dependency.healthcheck.disable !== true;
      if (condition === 'service_healthy' && !checked) {
        problems.push(`${name}: waits for "${target}" to be healthy, but ${target} has no healthcheck`);
      }
    }
  }
  return [...problems, ...cycleProblems(compose)];
}

function cycleProblems(compose: ComposeFile): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done' || !compose.services[name]) return;
    if (state.get(name) === 'visiting') {
      problems.push(`dependency cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const target of Object.keys(dependenciesOf(compose.services[name]!))) visit(target, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(compose.services)) visit(name, []);
  return problems;
}

interface Published {
  service: string;
  hostIp: string;
  port: string;
  protocol: string;
}

/** `[host_ip:][published:]target[/protocol]`, or the long form; only host-published ports can clash. */
function publishedPorts(compose: ComposeFile): Published[] {
  return Object.entries(compose.services).flatMap(([service, spec]) =>
    (spec.ports ?? []).flatMap((port): Published[] => {
      if (typeof port !== 'string') {
        return port.published === undefined
          ? []
          : [
              {
                service,
                hostIp: port.host_ip ?? '',
                port: String(port.published),
                protocol: port.protocol ?? 'tcp',
              },
            ];
      }
      const [mapping = '', protocol = 'tcp'] = port.split('/');
      const parts = mapping.split(':');
      if (parts.length < 2) return []; // a target port only: Docker picks a free host port
      const [published = '', hostIp = ''] = [
        parts.at(-2),
        parts.length > 2 ? parts.slice(0, -2).join(':') : '',
      ];
      return [{ service, hostIp, port: published, protocol }];
    }),
  );
}

export function portProblems(compose: ComposeFile): string[] {
  const ports = publishedPorts(compose);
  const problems: string[] = [];
  ports.forEach((a, i) => {
    for (const b of ports.slice(i + 1)) {
      const sameAddress =
        a.hostIp === b.hostIp ||
        a.hostIp === '' ||
        b.hostIp === '' ||
        a.hostIp === '0.0.0.0' ||
        b.hostIp === '0.0.0.0';
      if (a.port === b.port && a.protocol === b.protocol && sameAddress) {
        problems.push(`${a.service} and ${b.service} both publish host port ${a.port}/${a.protocol}`);
      }
    }
  });
  return problems;
}

/**
 * Every container has an image; an image pulled from a registry names a version (a tag other than `latest`) or
 * a digest, so two machines run the same thing. Images built here (`build:`) are named locally and exempt.
 */
export function imageProblems(compose: ComposeFile): string[] {
  const built = new Set(
    Object.values(compose.services)
      .filter((service) => service.build !== undefined && service.image)
      .map((service) => service.image!),
  );
  return Object.entries(compose.services).flatMap(([name, service]) => {
    if (!service.image) return service.build ? [] : [`${name}: no image and nothing to build`];
    if (built.has(service.image)) return [];
    const [reference = '', digest] = service.image.split('@');
    const lastSegment = reference.split('/').at(-1) ?? '';
    const tag = lastSegment.includes(':') ? lastSegment.split(':').at(-1) : undefined;
    if (digest !== undefined && /^sha256:[0-9a-f]{64}$/.test(digest)) return [];
    if (!tag || tag === 'latest' || !/\d/.test(tag)) {
      return [`${name}: image ${service.image} is not pinned (a version tag or a digest)`];
    }
    return [];
  });
}

/** Files mounted from the repository exist where the file says (Docker would create an empty directory). */
export function mountProblems(compose: ComposeFile, root = repoRoot): string[] {
  return Object.entries(compose.services).flatMap(([name, service]) =>
    bindMountsOf(service)
      .filter((mount) => !existsSync(join(root, mount.source)))
      .map((mount) => `${name}: mounts ./${mount.source}, which does not exist`),
  );
}
