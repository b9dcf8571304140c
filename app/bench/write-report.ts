import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { throughputChart } from './chart.js';
import { type Findings, performanceDocument } from './document.js';

/**
 * The run's findings as data (performance.json), and the document and chart made from them. `npm run
 * bench:render` makes the document again from the data, after a change to its wording, without a new run.
 */
export function writeReport(findings: Findings, docsDir: string): void {
  writeFileSync(join(docsDir, 'performance.json'), `${JSON.stringify(findings, null, 2)}\n`);
  writeFileSync(
    join(docsDir, 'performance.svg'),
    throughputChart(
      findings.rows,
      findings.bareKoa.mean,
      `Throughput on ${findings.settings.connections} connections (one run, same machine)`,
    ),
  );
  writeFileSync(join(docsDir, 'performance.md'), performanceDocument(findings, 'performance.svg'));
}
