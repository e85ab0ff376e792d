/*
 * Identity and secrets (ID-01..ID-08): Workload Identity and Key Vault
 * add-ons from ARM, plus ServiceAccounts, SecretProviderClasses, env values
 * and cluster-admin bindings.
 */
import { AnyRuleDefinition } from '../../engine/types';
import { identityArmRules } from './arm';
import { rbacRules } from './rbac';
import { secretRules } from './secrets';
import { workloadIdentityRules } from './workload-identity';

export const identityRules: AnyRuleDefinition[] = [
  ...identityArmRules,
  ...workloadIdentityRules,
  ...secretRules,
  ...rbacRules,
];
