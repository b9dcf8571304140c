import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { jsonLogLines } from '../support/log-capture.js';
import { freePort, waitForPort } from '../support/ports.js';
import { testEnv } from '../support/test-app.js';
import { type SentryReceiver, startSentryReceiver } from './sentry-receiver.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The service as `npm start` runs it, with sentry-load-recorder.mjs preloaded; one request that ends in a 404,
 * then SIGTERM. Resolves with the exit code, the log lines, the Sentry modules it resolved and how long it took
 * to listen.
 */
async function runService(env: Record<string, string>) {
  const port = await freePort();
  const loadsFile = join(mkdtempSync(join(tmpdir(), 'sentry-loads-')), 'loads.json');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', './test/observability/sentry-load-recorder.mjs', '--import', 'tsx', 'src/main.ts'],
    {
      cwd: appDir,
      env: {
        PATH: process.env.PATH,
        ...env,
        LOG_FORMAT: 'json',
        PORT: String(port),
        HOST: '127.0.0.1',
        SENTRY_LOADS_FILE: loadsFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    waitForPort(port, 30_000),
    exited.then((code) => {
      throw new Error(`service exited with ${code} before listening:\n${output}`);
    }),
  ]);
  const listeningMs = performance.now() - started;
  const notFound = await fetch(`http://127.0.0.1:${port}/api/v1/no-such-route`);
  child.kill('SIGTERM');
  const code = await exited;
  return {
    code,
    notFound: notFound.status,
    listeningMs,
    output,
    logLines: jsonLogLines(output),
    sentryModules: JSON.parse(readFileSync(loadsFile, 'utf8')) as string[],
  };
}

describe('the service with and without SENTRY_DSN', () => {
  let database: TestDatabase;
  let receiver: SentryReceiver;
  let off: Awaited<ReturnType<typeof runService>>;
  let on: Awaited<ReturnType<typeof runService>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startSentryReceiver();
    const env = testEnv({ DATABASE_URL: database.url });
    off = await runService(env);
    on = await runService({ ...env, SENTRY_DSN: receiver.dsn });
    console.log(
      `listening after ${Math.round(off.listeningMs)} ms without a DSN, ${Math.round(on.listeningMs)} ms with one`,
    );
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  it('without a DSN never loads the Sentry SDK, and says nothing of it', () => {
    expect(off.code, off.output).toBe(0);
    expect(off.sentryModules).toEqual([]);
    expect(off.logLines.some((line) => line.msg === 'reporting errors to Sentry')).toBe(false);
  });

  it('with a DSN loads it at start, sends nothing for a 404 and still stops cleanly', () => {
    expect(on.code, on.output).toBe(0);
    // The recorder's positive control: it does see the SDK when the service loads it.
    expect(on.sentryModules.some((url) => url.includes('/@sentry/node/'))).toBe(true);
    expect(on.logLines.find((line) => line.msg === 'reporting errors to Sentry')).toMatchObject({
      environment: 'dev',
    });
    expect(on.notFound).toBe(404);
    expect(receiver.envelopes).toHaveLength(0);
    expect(receiver.refused).toEqual([]);
  });
});
