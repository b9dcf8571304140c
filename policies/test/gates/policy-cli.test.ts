import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { fixturesDirectory } from '../support/fixtures.js';
import { runPolicyCli } from '../support/run-cli.js';

const dist = fileURLToPath(new URL('dist', fixturesDirectory));

describe('npm run policy (gate 2)', () => {
  it('exits 0 and lists every rule as passing for a compliant environment', async () => {
    const { code, stdout } = await runPolicyCli(['--env', 'prod', '--dir', dist]);
    expect(code).toBe(0);
    for (const rule of rules) expect(stdout).toContain(`PASS ${rule.name}\n`);
    expect(stdout).toContain(`all ${rules.length} rules pass`);
  });

  it('exits 1 and says what broke, where, and how to fix it', async () => {
    const { code, stdout } = await runPolicyCli(['--env', 'dev', '--dir', dist]);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL image-pinned [high]');
    expect(stdout).toContain('Deployment shop/web (workload.yaml)');
    expect(stdout).toContain(
      '- container "web": "registry.example/web:1.4.2" must be pinned by sha256 digest',
    );
    expect(stdout).toContain('FAIL mesh-mtls-strict [critical]');
    expect(stdout).toContain('fix: Set spec.mtls.mode: STRICT');
    expect(stdout).toContain('result: 3 violation(s) of 2 rule(s)');
  });

  it('fails the run when any one of several environments fails', async () => {
    const { code, stdout } = await runPolicyCli(['--env', 'prod', '--env', 'dev', '--dir', dist]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/policy check: prod [\s\S]*policy check: dev /);
  });

  it('exits 2 for an unknown environment', async () => {
    const { code, stderr } = await runPolicyCli(['--env', 'qa', '--dir', dist]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown environment: qa');
  });

  it('exits 2 instead of passing when an environment was never synthesized', async () => {
    const { code, stderr } = await runPolicyCli(['--env', 'staging', '--dir', dist]);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read');
  });

  it('exits 2 with the reason for an unknown option', async () => {
    const { code, stderr } = await runPolicyCli(['--env', 'dev', '--evn', 'prod']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--evn'");
  });
});
