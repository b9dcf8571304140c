import { describe, expect, it } from 'vitest';
import { formatFindings } from '../findings.js';
import { chartImageReaders } from '../images/chart-images.js';
import { chartFixtures } from './chart-fixtures.js';
import { templateRules } from './chart-template-rules.js';
import { kindGatewayChart } from './kind-port-mappings.js';
import { chartServiceTypes } from './release-await.js';
import { staleRuleTableKeys } from './rule-table-keys.js';

const folders = chartFixtures.map((f) => f.folder);
const tables = {
  'chart-template-rules.ts templateRules': templateRules.map((r) => r.chart),
  'release-await.ts chartServiceTypes': Object.keys(chartServiceTypes),
  'kind-port-mappings.ts kindGatewayChart': [kindGatewayChart],
  'images/chart-images.ts chartImageReaders': Object.keys(chartImageReaders),
};

describe('the rehearsal rule tables', () => {
  it('name only chart versions a fixture holds, so every encoded rule runs', () => {
    expect(formatFindings(staleRuleTableKeys(tables, folders))).toBe('');
  });

  it('report a key left at the version before a pin moved', () => {
    const findings = staleRuleTableKeys(
      { ...tables, 'kind-port-mappings.ts kindGatewayChart': ['istio-gateway@1.30.4'] },
      folders,
    );
    expect(findings.map((f) => `${f.subject} ${f.path}`)).toEqual([
      'rule table kind-port-mappings.ts kindGatewayChart istio-gateway@1.30.4',
    ]);
  });
});
