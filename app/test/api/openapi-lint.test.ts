import {
  BaseResolver,
  createConfig,
  lintDocument,
  makeDocumentFromString,
  type NormalizedProblem,
} from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../src/http/routes/docs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Document = { paths: Record<string, Record<string, { security?: unknown }>> };

/** Redocly's `recommended` ruleset (the one `redocly lint` applies with no config file) over a document. */
async function lint(document: unknown): Promise<NormalizedProblem[]> {
  const config = await createConfig({ extends: ['recommended'] });
  return lintDocument({
    document: makeDocumentFromString(JSON.stringify(document, null, 2), 'openapi.json'),
    config,
    externalRefResolver: new BaseResolver(),
  });
}

const describeProblem = (problem: NormalizedProblem) =>
  `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`;

describe('OpenAPI document under Redocly recommended rules', () => {
  let app: TestApp;
  let document: Document;
  beforeAll(async () => {
    app = await startTestApp({ DOCS_ENABLED: 'true' });
    document = (await (await app.fetch('/api/v1/openapi.json')).json()) as Document;
  });
  afterAll(() => app?.close());

  it('has no errors (warnings are printed, not failed on)', async () => {
    const problems = await lint(document);
    const warnings = problems.filter((problem) => problem.severity !== 'error').map(describeProblem);
    if (warnings.length > 0) console.info(`Redocly warnings:\n${warnings.join('\n')}`);
    expect(problems.filter((problem) => problem.severity === 'error').map(describeProblem)).toEqual([]);
  });

  // The rule set is live, not silently empty: the defect it exists for is caught.
  it('reports a public operation whose security is left implicit', async () => {
    const defective = structuredClone(document);
    delete defective.paths[openApiPath]!.get!.security;
    const errors = (await lint(defective)).filter((problem) => problem.severity === 'error');
    expect(errors.map((problem) => problem.ruleId)).toContain('security-defined');
  });
});
