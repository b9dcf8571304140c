import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { secretReason } from '../../src/model/secret-detection.js';
import {
  only,
  parseFile,
  readConfig,
  ref,
  terraformDirectory,
  terraformFiles,
} from '../support/terraform.js';
import { tokenReviewerFindings } from './token-reviewer.js';

interface PolicyRule {
  path: string;
  capabilities: string[];
}

async function policyRules(module: string, document: string): Promise<PolicyRule[]> {
  const config = await readConfig(join(terraformDirectory, 'modules', module));
  const block = only(config.data?.vault_policy_document?.[document], `policy document ${document}`);
  return block.rule as PolicyRule[];
}

/** Walks parsed HCL and yields every literal string value with the attribute name it is assigned to. */
function* literals(value: unknown, name = ''): Generator<[string, string]> {
  if (typeof value === 'string') {
    if (!/^\$\{[^}]*\}$/.test(value)) yield [name, value];
  } else if (Array.isArray(value)) {
    for (const item of value) yield* literals(item, name);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* literals(item, key);
  }
}

describe('the Vault access terraform/ grants', () => {
  it('lets the service read its own KV path and use its own transit key, and nothing else', async () => {
    expect(await policyRules('vault-app-access', 'service')).toEqual([
      expect.objectContaining({
        path: `${ref('local.kv_mount')}/data/${ref('var.kv_path')}`,
        capabilities: ['read'],
      }),
      expect.objectContaining({
        path: `${ref('local.transit_mount')}/encrypt/${ref('var.transit_key')}`,
        capabilities: ['update'],
      }),
      expect.objectContaining({
        path: `${ref('local.transit_mount')}/decrypt/${ref('var.transit_key')}`,
        capabilities: ['update'],
      }),
    ]);
  });

  it('binds the service role to one service account in one namespace', async () => {
    const config = await readConfig(join(terraformDirectory, 'modules/vault-app-access'));
    const role = only(config.resource?.vault_kubernetes_auth_backend_role?.service, 'service role');
    expect(role).toMatchObject({
      bound_service_account_names: [ref('var.service_account')],
      bound_service_account_namespaces: [ref('var.namespace')],
      token_policies: [ref('vault_policy.service.name')],
    });
  });

  it('lets Vault review login tokens with a service account bound to system:auth-delegator', async () => {
    const config = await readConfig(join(terraformDirectory, 'modules/vault-app-access'));
    expect(tokenReviewerFindings(config)).toEqual([]);
    expect(
      only(config.resource?.kubernetes_cluster_role_binding_v1?.token_reviewer, 'binding'),
    ).toMatchObject({
      role_ref: [{ kind: 'ClusterRole', name: 'system:auth-delegator' }],
    });
  });

  it('reports the auth configuration without a reviewer, where every login answered 403', async () => {
    const before = await readConfig(
      fileURLToPath(new URL('fixtures/vault-auth-without-reviewer/', import.meta.url)),
    );
    expect(tokenReviewerFindings(before)).toEqual([
      'vault_kubernetes_auth_backend_config.cluster: no token_reviewer_jwt from a service account token; logins ' +
        'then review themselves (token_review.go) and a service account without system:auth-delegator gets 403',
    ]);
  });

  it('reports a reviewer whose service account is not bound to system:auth-delegator', async () => {
    const config = await readConfig(join(terraformDirectory, 'modules/vault-app-access'));
    const bindings = config.resource?.kubernetes_cluster_role_binding_v1 ?? {};
    const unbound = {
      ...config,
      resource: {
        ...config.resource,
        kubernetes_cluster_role_binding_v1: Object.fromEntries(
          Object.entries(bindings).map(([name, [binding]]) => [
            name,
            [{ ...binding, role_ref: [{ kind: 'ClusterRole', name: 'view' }] }],
          ]),
        ),
      },
    };
    expect(tokenReviewerFindings(unbound)).toEqual([
      'vault_kubernetes_auth_backend_config.cluster: service account token_reviewer is not bound to ' +
        'system:auth-delegator, so its reviews get 403',
    ]);
  });

  it('keeps the transit key inside Vault and safe from deletion', async () => {
    const config = await readConfig(join(terraformDirectory, 'modules/vault-app-access'));
    expect(only(config.resource?.vault_transit_secret_backend_key?.service, 'transit key')).toMatchObject({
      deletion_allowed: false,
      exportable: false,
      allow_plaintext_backup: false,
    });
  });

  it('lets the secret sync identity only read the paths each stage lists', async () => {
    const config = await readConfig(join(terraformDirectory, 'modules/vault-secret-sync'));
    const block = only(config.data?.vault_policy_document?.sync, 'sync policy');
    const dynamicRule = only((block.dynamic as Record<string, { content: PolicyRule[] }[]>).rule, 'rule');
    expect(dynamicRule).toMatchObject({ for_each: ref('var.kv_paths') });
    expect(only(dynamicRule.content, 'rule content')).toMatchObject({
      path: `${ref('var.kv_mount')}/data/${ref('rule.value')}`,
      capabilities: ['read'],
    });
  });

  it.each(terraformFiles())('%s holds no secret literal', async (file) => {
    const found = [...literals(await parseFile(join(terraformDirectory, file)))]
      .map(([name, value]) => [name, secretReason(name, value)])
      .filter(([, reason]) => reason !== undefined);
    expect(found).toEqual([]);
  });
});
