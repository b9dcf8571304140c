import { readFileSync } from 'node:fs';

const levels: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/** Warnings and errors in a JSON log file (pino levels 40 and up), counted by message, most frequent first. */
export function logWarnings(file: string): { level: string; msg: string; count: number }[] {
  const counts = new Map<string, { level: string; msg: string; count: number }>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: number; msg?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    const level = levels[entry.level ?? 0];
    if (!level) continue;
    // Ids and hashes vary per line: without them, lines of one kind count together.
    const msg = String(entry.msg ?? '')
      .replace(/[0-9a-f]{8,}(-[0-9a-f]+)*/gi, '…')
      .replace(/\|/g, '\\|')
      .slice(0, 120);
    const key = `${level} ${msg}`;
    const seen = counts.get(key) ?? { level, msg, count: 0 };
    seen.count += 1;
    counts.set(key, seen);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}
