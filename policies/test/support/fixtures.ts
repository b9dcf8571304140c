import { readFileSync } from 'node:fs';
import type { Stage } from '@platform/charts/contract';
import { describe as describeObject, type KubeObject } from '../../src/model/kube-object.js';
import { type Rule, violationsOf } from '../../src/model/rule.js';
import { parseManifests } from '../../src/sources/manifest-files.js';

export const fixturesDirectory = new URL('../fixtures/', import.meta.url);

export function ruleFixture(rule: Rule, file: string): KubeObject[] {
  const url = new URL(`rules/${rule.name}/${file}`, fixturesDirectory);
  return parseManifests(readFileSync(url, 'utf8'), file);
}

/** The rule's verdict on a fixture, one `Kind namespace/name: message` line per violation. */
export function verdict(rule: Rule, file: string, stage: Stage): string[] {
  return violationsOf(rule, ruleFixture(rule, file), { stage }).map(
    ({ object, message }) => `${describeObject(object)}: ${message}`,
  );
}
