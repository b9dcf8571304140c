import Table from 'cli-table3';
import type { StageDiff } from './stage-diff.js';

const absent = '—';
const maxWidth = 48;

function show(value: unknown): string {
  if (value === undefined) return absent;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text;
}

/** The diff as two plain tables (config, then resources) and a one-line summary. */
export function renderDiff(diff: StageDiff, options: { color?: boolean } = {}): string {
  const [left, right] = diff.stages;
  const style = options.color ? {} : { head: [], border: [] };
  // No rule between rows: dozens of differences stay on one screen.
  const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

  const config = new Table({ head: ['stack config', left, right], style, chars, wordWrap: true });
  for (const d of diff.config) config.push([d.path, show(d.left), show(d.right)]);

  const resources = new Table({ head: ['resource', 'input', left, right], style, chars, wordWrap: true });
  for (const { resource, differences } of diff.resources) {
    for (const d of differences)
      resources.push([resource, d.path || '(resource)', show(d.left), show(d.right)]);
  }

  const onlyOne = diff.resources.filter((r) => r.differences.some((d) => d.path === '')).length;
  const inputs = diff.resources.reduce((n, r) => n + r.differences.filter((d) => d.path !== '').length, 0);
  const summary =
    `${left} vs ${right}: ${diff.config.length} stack config differences, ` +
    `${onlyOne} resources registered in one stage only, ${inputs} differing resource inputs`;

  return [
    diff.config.length ? config.toString() : 'stack config: identical',
    diff.resources.length ? resources.toString() : 'registered resources: identical',
    summary,
  ].join('\n\n');
}
