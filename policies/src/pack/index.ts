// Entry of the CrossGuard policy pack: `pulumi preview --policy-pack policies` loads the bundle built from
// this file. Constructing the pack starts its gRPC server, so nothing else may import this module.
import { PolicyPack } from '@pulumi/policy';
import { rules } from '../rules/index.js';
import { toCrossGuardPolicies } from './crossguard-policies.js';

new PolicyPack('platform-guardrails', { policies: toCrossGuardPolicies(rules) });
