import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ignore } from '@balena/dockerignore';
import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { service } from '../src/contract.js';
import { repoRoot } from './support/repo.js';

// CommonJS with a default-export typing that NodeNext cannot call: load it the CommonJS way.
const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Ignore;

const dockerfile = DockerfileParser.parse(readFileSync(join(repoRoot, 'app/Dockerfile'), 'utf8'));
const froms = dockerfile.getFROMs();
const stageNames = froms.map((f) => f.getBuildStage());

/** The instructions of one build stage, from its FROM to the next. */
function stage(name: string): Instruction[] {
  const index = stageNames.indexOf(name);
  if (index === -1) throw new Error(`no stage ${name}`);
  const start = froms[index]!.getRange()!.start.line;
  const end = froms[index + 1]?.getRange()?.start.line ?? Number.POSITIVE_INFINITY;
  return dockerfile.getInstructions().filter((i) => {
    const line = i.getRange()!.start.line;
    return line > start && line < end;
  });
}

const keyword = (instructions: Instruction[], word: string) =>
  instructions.filter((i) => i.getKeyword() === word);
const execForm = (instruction: Instruction | undefined) =>
  JSON.parse(instruction?.getArgumentsContent() ?? 'null') as unknown;

/** The base image each FROM resolves to, build arguments substituted with their defaults. */
function baseImage(from: (typeof froms)[number]): string {
  const image = from.getImage() ?? '';
  return image.replace(/\$\{?([A-Z_]+)\}?/g, (_, name: string) => {
    const arg = dockerfile.getInitialARGs().find((a) => a.getProperty()?.getName() === name);
    return arg?.getProperty()?.getValue() ?? '';
  });
}

describe('app/Dockerfile', () => {
  it('builds FROM an exact Node LTS release or an earlier stage, never latest', () => {
    for (const from of froms) {
      const image = baseImage(from);
      if (stageNames.includes(image)) continue;
      expect(image).toMatch(/^node:(22|24)\.\d+\.\d+-[a-z]+(-slim)?(@sha256:[a-f0-9]{64})?$/);
      expect(image).not.toContain('latest');
    }
  });

  it('ships the runtime stage by default (the last stage)', () => {
    expect(stageNames.at(-1)).toBe('runtime');
  });

  it('runs the runtime as the contract’s non-root numeric user', () => {
    const users = keyword(stage('runtime'), 'USER');
    expect(users.at(-1)?.getArgumentsContent()).toBe(`${service.uid}:${service.uid}`);
    expect(service.uid).toBeGreaterThan(0);
  });

  it('starts node directly with the serve command (SIGTERM reaches node, no npm or shell as PID 1)', () => {
    const runtime = stage('runtime');
    expect(keyword(runtime, 'ENTRYPOINT')).toHaveLength(0);
    expect(execForm(keyword(runtime, 'CMD').at(-1))).toEqual([...service.commands.serve]);
  });

  it('installs runtime dependencies from the lockfile without devDependencies', () => {
    const install = keyword(stage('prod-deps'), 'RUN').map((r) => r.getArgumentsContent() ?? '');
    expect(install.join('\n')).toMatch(/npm ci\b[^\n]*--omit=dev/);
    const modules = stage('runtime')
      .filter((i): i is Copy => i instanceof Copy)
      .filter((c) => c.getArgumentsContent()?.includes('node_modules'));
    expect(modules.length).toBeGreaterThan(0);
    for (const copy of modules) {
      expect(
        copy
          .getFlags()
          .find((f) => f.getName() === 'from')
          ?.getValue(),
      ).toBe('prod-deps');
    }
  });

  it('generates the Prisma client and compiles TypeScript in the build stage', () => {
    const build = keyword(stage('build'), 'RUN')
      .map((r) => r.getArgumentsContent())
      .join('\n');
    expect(build).toContain('npm run db:generate -w @platform/app');
    expect(build).toContain('npm run build -w @platform/app');
  });

  it('carries a module compile cache made as the contract’s user from the serve command’s bootstrap, read-only', () => {
    const runtime = stage('runtime');
    const cacheDir = keyword(runtime, 'ENV')
      .map((e) => /^NODE_COMPILE_CACHE=(\S+)$/.exec(e.getArgumentsContent() ?? '')?.[1])
      .find(Boolean);
    expect(cacheDir).toMatch(/^\/app\//);
    const warm = keyword(runtime, 'RUN')
      .map((r) => r.getArgumentsContent() ?? '')
      .find((run) => run.includes('warm-compile-cache'));
    // Node keeps a cache per user id: made as anyone else, the service would never read it.
    expect(warm).toContain(`--reuid=${service.uid} --regid=${service.uid}`);
    const bootstrap = service.commands.serve.slice(service.commands.serve.indexOf('--import'), -1).join(' ');
    expect(warm).toContain(`node ${bootstrap} dist/cli/warm-compile-cache.js`);
    // Writable by the service, the cache would be code it could change at run time.
    expect(warm).toMatch(
      /chown -R root:root "\$NODE_COMPILE_CACHE" && chmod -R a\+rX,go-w "\$NODE_COMPILE_CACHE"\s*$/,
    );
    const users = keyword(runtime, 'USER');
    expect(users.at(-1)!.getRange()!.start.line).toBeGreaterThan(
      keyword(runtime, 'RUN').at(-1)!.getRange()!.start.line,
    );
  });

  it('runs from the contract’s working directory and port', () => {
    expect(keyword(stage('runtime'), 'WORKDIR').at(-1)?.getArgumentsContent()).toBe(service.workdir);
    expect(keyword(stage('runtime'), 'EXPOSE').at(-1)?.getArgumentsContent()).toBe(String(service.port));
  });

  it('offers a non-root dev target that runs the sources in watch mode', () => {
    const dev = stage('dev');
    expect(keyword(dev, 'USER').at(-1)?.getArgumentsContent()).toBe(`${service.uid}:${service.uid}`);
    expect(execForm(keyword(dev, 'CMD').at(-1))).toEqual([...service.commands.dev]);
    expect(keyword(dev, 'WORKDIR').at(-1)?.getArgumentsContent()).toBe(service.workdir);
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignore().add(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));

  it('sends every file the Dockerfile copies from the context', () => {
    const sources = dockerfile
      .getCOPYs()
      .filter((c) => !c.getFlags().some((f) => f.getName() === 'from'))
      .flatMap((c) =>
        c
          .getArguments()
          .slice(0, -1)
          .map((a) => a.getValue().replace(/\/$/, '')),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const probe = source === 'app' ? 'app/src/main.ts' : source;
      expect(ignored.ignores(probe), source).toBe(false);
    }
  });

  it('keeps dependencies, build output, secrets and other workspaces out of the context', () => {
    for (const path of [
      'node_modules/koa/index.js',
      'app/node_modules/x/index.js',
      'app/dist/main.js',
      'app/src/generated/prisma/client.ts',
      'app/.env',
      '.git/HEAD',
      'charts/src/contract.ts',
      'infra/src/index.ts',
      'docs/index.md',
    ]) {
      expect(ignored.ignores(path), path).toBe(true);
    }
  });
});
