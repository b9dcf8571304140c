// Renders docs/performance.md and performance.svg again from docs/performance.json, the last run's findings.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Findings } from './document.js';
import { writeReport } from './write-report.js';

const docsDir = fileURLToPath(new URL('../../docs/', import.meta.url));
const findings = JSON.parse(readFileSync(`${docsDir}performance.json`, 'utf8')) as Findings;
writeReport(findings, docsDir);
console.log('rendered docs/performance.md and docs/performance.svg from docs/performance.json');
