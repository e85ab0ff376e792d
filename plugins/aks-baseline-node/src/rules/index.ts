/*
 * The rule catalog: every section's rules plus the manual items. Sections
 * export their arrays from `rules/<section>/index.ts`.
 */
import { AnyRuleDefinition } from '../engine/types';
import { availabilityRules } from './availability';
import { clusterRules } from './cluster';
import { apiVersionRules } from './cluster/api-versions';
import { identityRules } from './identity';
import { imagesRules } from './images';
import { manualRules } from './manual';
import { networkingRules } from './networking';
import { operationsRules } from './operations';
import { podSecurityRules } from './pod-security';
import { resourcesRules } from './resources';

/** Every rule, in checklist order, manual items last. */
export const RULE_CATALOG: readonly AnyRuleDefinition[] = Object.freeze([
  ...clusterRules,
  ...apiVersionRules,
  ...networkingRules,
  ...identityRules,
  ...podSecurityRules,
  ...imagesRules,
  ...resourcesRules,
  ...availabilityRules,
  ...operationsRules,
  ...manualRules,
]);

export {
  apiVersionRules,
  availabilityRules,
  clusterRules,
  identityRules,
  imagesRules,
  manualRules,
  networkingRules,
  operationsRules,
  podSecurityRules,
  resourcesRules,
};
