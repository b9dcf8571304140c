import { execFile as execFileCb } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/dr/free-port.js';

const execFile = promisify(execFileCb);

/**
 * Throwaway PostgreSQL servers from the distribution's own binaries (Debian: postgresql, under
 * /usr/lib/postgresql/<major>/bin; PG_BINDIR overrides), each in a temporary directory on a free port.
 * initdb and postgres refuse to run as root: as root, everything runs as the `postgres` system user.
 */
export async function postgresBinDir(): Promise<string> {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const root = '/usr/lib/postgresql';
  const majors = (await readdir(root).catch(() => [] as string[])).filter((v) => /^\d+$/.test(v));
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL under ${root} (install Debian's postgresql, or set PG_BINDIR)`);
  return join(root, newest, 'bin');
}

async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout } = await execFile('id', ['-u', 'postgres']);
  const { stdout: gid } = await execFile('id', ['-g', 'postgres']);
  return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}

/** A scratch directory the server user owns; `remove()` deletes it with everything under it. */
export class Workspace {
  /** Added to every program's environment (the archive's credentials). */
  env: Record<string, string> = {};

  private constructor(
    readonly root: string,
    private readonly user: { uid: number; gid: number } | undefined,
    readonly bin: string,
  ) {}

  static async create(prefix: string): Promise<Workspace> {
    const root = await mkdtemp(join(tmpdir(), prefix));
    const user = await serverUser();
    if (user) await chown(root, user.uid, user.gid);
    return new Workspace(root, user, await postgresBinDir());
  }

  async dir(name: string): Promise<string> {
    const path = join(this.root, name);
    await mkdir(path, { recursive: true });
    if (this.user) await chown(path, this.user.uid, this.user.gid);
    await chmod(path, 0o700);
    return path;
  }

  /** A PostgreSQL program (or any command, by absolute path) as the server user. */
  async run(program: string, args: string[], timeoutMs = 120_000): Promise<string> {
    const file = program.startsWith('/') ? program : join(this.bin, program);
    try {
      const { stdout } = await execFile(file, args, {
        ...(this.user ?? {}),
        cwd: this.root,
        timeout: timeoutMs,
        env: { ...process.env, ...this.env, LC_ALL: 'C.UTF-8' },
      });
      return stdout;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(`${[file, ...args].join(' ')} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
    }
  }

  async writeOwned(path: string, text: string, flag: 'w' | 'a' = 'w'): Promise<void> {
    await writeFile(path, text, { flag });
    if (this.user) await chown(path, this.user.uid, this.user.gid);
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/** One server: its data directory, port and log. */
export class LocalServer {
  private running = false;

  constructor(
    private readonly ws: Workspace,
    readonly dataDir: string,
    readonly port: number,
  ) {}

  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** `pg_ctl start -w`: returns once the server accepts connections (a recovering one: once consistent). */
  async start(): Promise<void> {
    this.running = true;
    await this.ws.run('pg_ctl', [
      'start',
      '-w',
      '-t',
      '120',
      '-D',
      this.dataDir,
      '-l',
      `${this.dataDir}.log`,
    ]);
  }

  /** Immediate shutdown; never throws, so cleanup goes on whatever state the server is in. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.ws.run('pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', this.dataDir]).catch(() => undefined);
  }
}

/** initdb a new cluster (trust on 127.0.0.1 only) that archives every WAL segment with `archiveCommand`. */
export async function archivingServer(
  ws: Workspace,
  name: string,
  archiveCommand: string,
): Promise<LocalServer> {
  const dataDir = join(ws.root, name);
  await ws.run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  await ws.writeOwned(
    join(dataDir, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${ws.root}'`,
      'wal_level = replica',
      'archive_mode = on',
      `archive_command = '${archiveCommand}'`,
      'max_wal_senders = 4',
      'fsync = off',
      '',
    ].join('\n'),
    'a',
  );
  return new LocalServer(ws, dataDir, port);
}

/**
 * A server started from a base backup copy that replays the archive up to `targetTime`, then promotes
 * (recovery.signal plus the recovery_target_* settings, PostgreSQL 12 and later).
 */
export async function restoredServer(
  ws: Workspace,
  name: string,
  archive: { restoreBase(dataDir: string): Promise<void>; restoreCommand: string },
  targetTime: Date,
): Promise<LocalServer> {
  const dataDir = join(ws.root, name);
  await archive.restoreBase(dataDir);
  await ws.run('/bin/chmod', ['700', dataDir]);
  const port = await freePort();
  await ws.writeOwned(
    join(dataDir, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      'archive_mode = off',
      `restore_command = '${archive.restoreCommand}'`,
      // The server's timestamptz input takes ISO 8601 with an offset, not the `Z` suffix of toISOString().
      `recovery_target_time = '${targetTime.toISOString().replace('T', ' ').replace('Z', '+00')}'`,
      `recovery_target_action = 'promote'`,
      '',
    ].join('\n'),
    'a',
  );
  await ws.writeOwned(join(dataDir, 'recovery.signal'), '');
  return new LocalServer(ws, dataDir, port);
}
