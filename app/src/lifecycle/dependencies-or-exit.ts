import { DirectoryInUse } from '../adapters/db/directory-lock.js';
import type { Config } from '../config/index.js';
import { type Dependencies, type OpenOptions, openDependencies } from '../dependencies.js';
import type { Logger } from '../observability/logger.js';
import { exitOnConfigError } from './startup-config.js';

/** EX_TEMPFAIL: the embedded database's directory is busy; the same start works once its holder stops. */
const directoryInUseExitCode = 75;

/**
 * For process entries (the API and the worker) only: the dependencies, or exit with one line when another
 * process holds the embedded database (a situation to explain, not a crash to report with a stack) or when a
 * configured file turns out unusable (exitOnConfigError).
 */
export async function openDependenciesOrExit(
  cfg: Config,
  log: Logger,
  options: OpenOptions,
): Promise<Dependencies> {
  try {
    return await openDependencies(cfg, log, options);
  } catch (error) {
    if (!(error instanceof DirectoryInUse)) return exitOnConfigError(error);
    log.fatal({ holderPid: error.holder.pid, lockFile: error.lockFile }, error.message);
    return new Promise<never>(() => log.flush(() => process.exit(directoryInUseExitCode)));
  }
}
