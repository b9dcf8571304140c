import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const appDir = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a CLI entry the way `npm run` does (through tsx), with only the given variables set. */
export async function runCli(entry: string, args: string[], env: Record<string, string>) {
  const { PATH = '', HOME = '' } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      {
        cwd: appDir,
        env: { PATH, HOME, ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
