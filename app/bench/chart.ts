import type { Row } from './report.js';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const colours: Record<string, string> = { 'node:http': '#9aa5b1', 'bare Koa': '#52606d' };
const serviceColour = '#2f80ed';

/**
 * A horizontal bar chart of throughput per row, with bare Koa's health throughput as a dashed reference line,
 * as a standalone SVG (no fonts or scripts to load).
 */
export function throughputChart(rows: readonly Row[], bareKoa: number, title: string): string {
  const labelWidth = 330;
  const barArea = 520;
  const barHeight = 20;
  const gap = 8;
  const top = 48;
  const width = labelWidth + barArea + 110;
  const height = top + rows.length * (barHeight + gap) + 30;
  const max = Math.max(bareKoa, ...rows.map((row) => row.result.requestsPerSecond)) * 1.05;
  const x = (value: number) => labelWidth + (value / max) * barArea;
  const bars = rows.map((row, i) => {
    const y = top + i * (barHeight + gap);
    const value = row.result.requestsPerSecond;
    const label = `${row.scenario} · ${row.server}`;
    return [
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeXml(label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${(x(value) - labelWidth).toFixed(1)}" height="${barHeight}" fill="${colours[row.server] ?? serviceColour}"/>`,
      `<text x="${(x(value) + 6).toFixed(1)}" y="${y + 14}">${Math.round(value)} req/s · ${(value / bareKoa).toFixed(2)}x</text>`,
    ].join('');
  });
  const reference = x(bareKoa).toFixed(1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...bars,
    `<line x1="${reference}" y1="${top - 8}" x2="${reference}" y2="${height - 22}" stroke="#e5484d" stroke-dasharray="4 3"/>`,
    `<text x="${reference}" y="${height - 8}" text-anchor="middle" fill="#e5484d">bare Koa health: ${Math.round(bareKoa)} req/s</text>`,
    '</svg>',
    '',
  ].join('\n');
}
