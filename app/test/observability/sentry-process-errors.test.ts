import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogLines } from '../support/log-capture.js';
import { type SentryReceiver, startSentryReceiver } from './sentry-receiver.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const password = `pw${crypto.randomUUID().slice(0, 12)}`;
const jwt = `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIke${crypto.randomUUID().replaceAll('-', '')}.c2lnbmF0dXJl`;

/** The worker-like fixture as its own process, so the exit is real; resolves with its code and stdout. */
function runCrashingWorker(
  env: Record<string, string>,
): Promise<{ code: number | null; exitedAt: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/observability/sentry-crashing-worker.ts'], {
    cwd: appDir,
    env: { PATH: process.env.PATH, PLANTED_PASSWORD: password, PLANTED_JWT: jwt, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, exitedAt: Date.now(), stdout, stderr });
    }),
  );
}

describe.each([
  { crash: 'rejection', origin: 'unhandledRejection', msg: 'unhandled rejection', secret: password },
  { crash: 'exception', origin: 'uncaughtException', msg: 'uncaught exception', secret: jwt },
])('a worker-like process whose job fails with an $origin', ({ crash, origin, msg, secret }) => {
  let receiver: SentryReceiver;
  let run: Awaited<ReturnType<typeof runCrashingWorker>>;
  beforeAll(async () => {
    // Answers late: a process that exits without waiting for the answer exits before it.
    receiver = await startSentryReceiver({ answerAfterMs: 400 });
    run = await runCrashingWorker({ SENTRY_DSN: receiver.dsn, CRASH: crash });
  });
  afterAll(() => receiver.close());

  it('sends exactly one fatal event, flushed before the process exits with 1', () => {
    expect(run.code, run.stderr).toBe(1);
    const [event, ...more] = receiver.events();
    expect(more).toHaveLength(0);
    expect(run.exitedAt).toBeGreaterThanOrEqual(receiver.answeredAt[0] ?? Number.POSITIVE_INFINITY);
    expect(event?.level).toBe('fatal');
    expect(event?.tags).toMatchObject({ origin });
    expect(event?.exception?.values?.at(-1)?.mechanism).toMatchObject({
      type: `node.${origin}`,
      handled: false,
    });
  });

  it('sends and logs the error with its secret cut out', () => {
    const [event] = receiver.events();
    expect(event?.exception?.values?.at(-1)?.value).toMatch(/password=\[redacted\]|token \[redacted-jwt\]/);
    expect(receiver.text()).not.toContain(secret);
    const fatal = jsonLogLines(run.stdout).filter((line) => line.msg === msg);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ level: 60, origin });
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  });
});

describe('a process without SENTRY_DSN whose job fails the same way', () => {
  it('still logs it once, redacted, and exits with 1', async () => {
    const run = await runCrashingWorker({ CRASH: 'rejection' });
    expect(run.code, run.stderr).toBe(1);
    expect(jsonLogLines(run.stdout).filter((line) => line.msg === 'unhandled rejection')).toHaveLength(1);
    expect(run.stdout).not.toContain(password);
    expect(run.stderr).not.toContain(password);
  });
});
