import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Who holds a directory: written into the lock file by the holder, read back by whoever is refused. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** The directory is held by a running process; the message says which one and what to do instead. */
export class DirectoryInUse extends Error {
  constructor(
    readonly dir: string,
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database in ${dir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}); ` +
        'it takes one process at a time. Stop that process, or give this one a directory of its own with ' +
        `PGLITE_DIR=<another directory>. If process ${holder.pid} is not this service (a reused process id), ` +
        `delete ${lockFile}.`,
    );
    this.name = 'DirectoryInUse';
  }
}

export interface DirectoryLock {
  readonly lockFile: string;
  /** Removes the lock file if it is still this process's; safe to call more than once. */
  release(): void;
}

const lockFileName = 'service.lock';
/** Each round either takes the lock, meets a live holder, or clears one stale lock: a few rounds suffice. */
const maxRounds = 5;

/**
 * Takes `dir` for this process alone, as PostgreSQL's postmaster.pid does for a data directory: a lock file
 * holding the owner's process id, created atomically, and left behind by a killed owner to be recognised as
 * stale (no such process) and taken over by the next start. The file is written in full under a private name
 * and hard-linked into place, which fails if the name exists (as O_EXCL does), so a reader never sees it half
 * written. A process id is checked, not a timestamp refreshed by a timer: PGlite runs on the event loop and
 * blocks it for seconds at start, which a timed lease would take for a dead owner.
 */
export function lockDirectory(dir: string): DirectoryLock {
  const lockFile = join(dir, lockFileName);
  const mine = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    nonce: randomUUID(),
  });
  const draft = `${lockFile}.${process.pid}.${randomUUID()}`;
  writeFileSync(draft, mine);
  try {
    for (let round = 0; round < maxRounds; round++) {
      if (linked(draft, lockFile)) return held(lockFile, mine);
      const found = readIfPresent(lockFile);
      if (found === undefined) continue; // released in between: try again
      const holder = parseHolder(found);
      if (holder && isRunning(holder)) throw new DirectoryInUse(dir, lockFile, holder);
      discardStale(lockFile, found);
    }
    throw new Error(`${lockFile}: changed hands ${maxRounds} times while this process tried to take it`);
  } finally {
    rmSync(draft, { force: true });
  }
}

function held(lockFile: string, mine: string): DirectoryLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (readIfPresent(lockFile) === mine) rmSync(lockFile, { force: true });
  };
  // A start that fails after taking the lock exits without closing the database: free the directory then too.
  process.on('exit', release);
  return { lockFile, release };
}

/**
 * Moves the stale lock aside and checks that what it moved is what it judged stale. Two starters after a crash
 * can both judge the same file stale; if the other has already replaced it with its own live lock, that lock is
 * put back and the next round finds its owner running.
 */
function discardStale(lockFile: string, stale: string): void {
  const aside = `${lockFile}.stale.${process.pid}.${randomUUID()}`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return;
    throw error;
  }
  if (readIfPresent(aside) !== stale) linked(aside, lockFile);
  unlinkSync(aside);
}

function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  }
}

function isRunning(holder: LockHolder): boolean {
  // Another host's (or container's) process ids mean nothing here: assume it runs; the message says how to clear it.
  if (holder.host !== hostname()) return true;
  // Our own id, or our parent's, was the holder's in an earlier life (a restarted container reuses low ids).
  if (holder.pid === process.pid || holder.pid === process.ppid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM'; // running, as another user
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return Number.isInteger(value.pid) && typeof value.host === 'string'
      ? { pid: value.pid!, host: value.host, since: String(value.since) }
      : undefined;
  } catch {
    return undefined; // never written by a holder (hard-linked in full), so nobody holds it
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code;
