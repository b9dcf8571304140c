/**
 * The raw argon2id verify rate: the service's own hashing (same library, same parameters) with `concurrency`
 * verifications always in flight for `seconds`, in its own process so it gets the libuv thread pool the
 * service gets (default size, as in the image). The login scenario is reported as a share of this.
 *
 * As a script: `node --import tsx bench/verify-rate.ts <concurrency> <seconds>` prints the rate as JSON.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hashPassword, verifyPassword } from '../src/modules/auth/passwords.js';

export interface VerifyRate {
  readonly verifiesPerSecond: number;
  readonly concurrency: number;
}

/** Runs this file in a fresh process and returns what it measured. */
export async function measureVerifyRate(concurrency: number, seconds: number): Promise<VerifyRate> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), String(concurrency), String(seconds)],
    { cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  return JSON.parse(stdout) as VerifyRate;
}

async function verifyFor(concurrency: number, seconds: number): Promise<VerifyRate> {
  const password = 'benchmark passphrase';
  const stored = await hashPassword(password);
  let verified = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      if (!(await verifyPassword(stored, password))) throw new Error('the password did not verify');
      verified += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { verifiesPerSecond: verified / ((performance.now() - started) / 1000), concurrency };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [concurrency = '16', seconds = '10'] = process.argv.slice(2);
  // Warm-up first, as the load scenarios get: the thread pool and the allocator settle.
  await verifyFor(Number(concurrency), 1);
  console.log(JSON.stringify(await verifyFor(Number(concurrency), Number(seconds))));
}
