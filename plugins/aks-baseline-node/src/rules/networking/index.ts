/*
 * Networking (NW-01..NW-08): ARM network profile and API server access,
 * plus NetworkPolicies, Services, Ingresses/Gateways and ingress classes.
 */
import { RuleDefinition } from '../../engine/rule';
import { networkingArmRules } from './arm';
import { ingressRules } from './ingress';
import { networkPolicyRules } from './network-policies';
import { serviceRules } from './services';

export const networkingRules: RuleDefinition[] = [
  ...networkingArmRules,
  ...networkPolicyRules,
  ...serviceRules,
  ...ingressRules,
];
