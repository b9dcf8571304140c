import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const levels: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * Warnings and errors in a JSON log file (pino levels 40 and up), counted by message, most frequent first. Read
 * line by line: a full run logs every request and the file outgrows the largest string V8 can hold.
 */
export async function logWarnings(file: string): Promise<{ level: string; msg: string; count: number }[]> {
  const counts = new Map<string, { level: string; msg: string; count: number }>();
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    // Request lines are level 30; only lines of level 40 and up are worth parsing.
    if (!line.startsWith('{') || !/"level":[4-6]0/.test(line)) continue;
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
