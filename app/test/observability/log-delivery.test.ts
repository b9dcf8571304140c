import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const writer = fileURLToPath(new URL('./log-writer.ts', import.meta.url));

function startWriter(idleMs: number) {
  const marker = crypto.randomUUID();
  const child = spawn(process.execPath, ['--import', 'tsx', writer], {
    env: { PATH: process.env.PATH, LOG_TEST_MARKER: marker, LOG_TEST_IDLE_MS: String(idleMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const hasLine = () => stdout.includes(marker);
  return { child, exited, hasLine, stdout: () => stdout };
}

// Lines are written in batches (observability/logger.ts): a lone line must still leave, soon and at exit.
describe('batched log lines', () => {
  it('are written while the process keeps running, though nothing else is logged', async () => {
    const writer = startWriter(20_000);
    try {
      const deadline = Date.now() + 10_000;
      while (!writer.hasLine() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(writer.hasLine(), 'the line arrived while the process was running').toBe(true);
      expect(writer.child.exitCode).toBeNull();
      expect(JSON.parse(writer.stdout().trim())).toMatchObject({ msg: 'one line', tier: 'prod' });
    } finally {
      writer.child.kill('SIGKILL');
      await writer.exited;
    }
  });

  it('are written before process.exit ends the process', async () => {
    const writer = startWriter(0);
    expect(await writer.exited).toBe(3);
    expect(writer.hasLine()).toBe(true);
  });
});
