import { type Stats, unwatchFile, watchFile } from 'node:fs';

/**
 * Calls `changed` when the file at `path` is replaced or rewritten, checking its stat every `intervalMs`.
 * Polling rather than inotify: it follows the path through what deployments do to it (a new file renamed
 * over it, a Kubernetes volume's symlink swap), where an inotify watch stays on the old inode. Changes are
 * handled one at a time; a removed file is reported, not loaded. Returns the stop function.
 */
export function watchForReplacement(
  path: string,
  intervalMs: number,
  changed: (present: boolean) => Promise<void>,
): () => void {
  let handling = Promise.resolve();
  const listener = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.ino === previous.ino) return;
    handling = handling.then(() => changed(current.nlink > 0));
  };
  // Not persistent: a watched file never keeps the process alive past shutdown.
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(path, listener);
}
