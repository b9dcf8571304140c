import type {
  Policies,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import type { PulumiResource } from '../../src/sources/pulumi-resources.js';

export interface Reported {
  policy: string;
  message: string;
  urn?: string;
}

/**
 * Drives CrossGuard policies the way the analyzer does: every resource policy sees every resource, then every
 * stack policy sees the whole stack. The argument bags carry only what our policies read.
 */
export async function analyze(policies: Policies, resources: readonly PulumiResource[]): Promise<Reported[]> {
  const reported: Reported[] = [];
  for (const policy of policies) {
    const report = (message: string, urn?: string) =>
      reported.push({ policy: policy.name, message, ...(urn ? { urn } : {}) });
    if ('validateStack' in policy) {
      const args = { resources: resources as unknown as PolicyResource[] } as StackValidationArgs;
      await (policy as StackValidationPolicy).validateStack(args, report);
      continue;
    }
    const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
    for (const resource of resources) {
      for (const validate of validations) await validate(resource as ResourceValidationArgs, report);
    }
  }
  return reported;
}

export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::platform-infra::${type}::${name}`;
}
