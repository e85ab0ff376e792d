/*
 * Identity and secrets (ID-01..ID-08): Workload Identity and Key Vault
 * add-ons from ARM, plus ServiceAccounts, SecretProviderClasses, env values
 * and cluster-admin bindings.
 */
import { RuleDefinition } from '../../engine/rule';
import { identityArmRules } from './arm';
import { rbacRules } from './rbac';
import { secretRules } from './secrets';
import { workloadIdentityRules } from './workload-identity';

export const identityRules: RuleDefinition[] = [
  ...identityArmRules,
  ...workloadIdentityRules,
  ...secretRules,
  ...rbacRules,
];
