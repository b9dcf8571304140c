import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryInUse, lockDirectory } from '../../src/adapters/db/directory-lock.js';

// The lock's judgement in this process, beside embedded-database-lock.test.ts, which runs it through real
// service processes (a second start, kill -9, simultaneous starts).
describe('lockDirectory', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'directory-lock-'));
    dirs.push(dir);
    return dir;
  };
  const lockFileIn = (dir: string) => join(dir, 'service.lock');
  const holderIn = (dir: string) => JSON.parse(readFileSync(lockFileIn(dir), 'utf8')) as { pid: number };
  const plantLock = (dir: string, holder: object | string) =>
    writeFileSync(lockFileIn(dir), typeof holder === 'string' ? holder : JSON.stringify(holder));
  // A process id that was real and has exited: its lock is what kill -9 leaves behind.
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('takes a free directory with this process as the holder, and leaves no draft beside the lock', () => {
    const dir = freshDir();
    const lock = lockDirectory(dir);
    expect(lock.lockFile).toBe(lockFileIn(dir));
    expect(holderIn(dir)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(readdirSync(dir)).toEqual(['service.lock']);
    lock.release();
    expect(existsSync(lock.lockFile)).toBe(false);
  });

  it('refuses a directory a running process holds, naming it, the lock file and PGLITE_DIR', () => {
    const dir = freshDir();
    // Process 1 runs on every machine, and as another user it still counts as running.
    plantLock(dir, { pid: 1, host: hostname(), since: '2026-01-01T00:00:00.000Z' });
    const refusal = (() => {
      try {
        lockDirectory(dir);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(DirectoryInUse);
    expect((refusal as DirectoryInUse).holder.pid).toBe(1);
    expect((refusal as Error).message).toMatch(/in use by process 1 .*PGLITE_DIR=.*delete .*service\.lock/);
    expect(holderIn(dir).pid).toBe(1);
  });

  it("assumes another host's holder runs: its process ids mean nothing here", () => {
    const dir = freshDir();
    plantLock(dir, { pid: deadPid(), host: `not-${hostname()}`, since: 'then' });
    expect(() => lockDirectory(dir)).toThrow(DirectoryInUse);
  });

  it('takes over a lock whose holder has exited, or that no holder wrote', () => {
    for (const stale of [
      { pid: deadPid(), host: hostname(), since: 'then' },
      'half-written {',
      '{"pid":"x"}',
    ]) {
      const dir = freshDir();
      plantLock(dir, stale);
      const lock = lockDirectory(dir);
      expect(holderIn(dir).pid).toBe(process.pid);
      lock.release();
    }
  });

  it('releases only its own lock, and once', () => {
    const dir = freshDir();
    const lock = lockDirectory(dir);
    const another = { pid: 1, host: hostname(), since: 'later' };
    plantLock(dir, another);
    lock.release();
    expect(holderIn(dir)).toEqual(another);
    rmSync(lockFileIn(dir));
    const again = lockDirectory(dir);
    again.release();
    again.release();
    expect(existsSync(again.lockFile)).toBe(false);
  });
});
