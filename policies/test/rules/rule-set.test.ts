import { existsSync, readFileSync } from 'node:fs';
import { stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { fixturesDirectory, verdict } from '../support/fixtures.js';

describe('the rule set', () => {
  it('names every rule uniquely in kebab-case, with a description and a remediation', () => {
    const names = rules.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of rules) {
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.description.length).toBeGreaterThan(30);
      expect(rule.remediation.length).toBeGreaterThan(30);
    }
  });

  it('is the rule set the README documents, row for row', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (\w+) \|/gm)].map(([, name, severity]) => [
      name,
      severity,
    ]);
    expect(documented).toEqual(rules.map((rule) => [rule.name, rule.severity]));
  });

  describe.each(rules.map((rule) => [rule.name, rule] as const))('%s', (_name, rule) => {
    it('has a passing and a failing fixture', () => {
      for (const file of ['pass.yaml', 'fail.yaml']) {
        expect(existsSync(new URL(`rules/${rule.name}/${file}`, fixturesDirectory)), file).toBe(true);
      }
    });

    it.each(stages)('accepts its passing fixture in %s', (stage) => {
      expect(verdict(rule, 'pass.yaml', stage)).toEqual([]);
    });

    it('catches its failing fixture in prod, the strictest stage', () => {
      expect(verdict(rule, 'fail.yaml', 'prod').length).toBeGreaterThan(0);
    });
  });
});
