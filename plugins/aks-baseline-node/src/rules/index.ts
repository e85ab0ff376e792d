/*
 * The rule catalog: every section's rules plus the manual items. Sections
 * export their arrays from `rules/<section>/index.ts`.
 */
import { subjectKindsOf } from '../engine/subjects';
import { RuleDefinition } from '../engine/rule';
import { aks2026Rules } from './aks-2026';
import { availabilityRules } from './availability';
import { RULE_FRAMEWORKS } from './frameworks';
import { clusterRules } from './cluster';
import { apiVersionRules } from './cluster/api-versions';
import { identityRules } from './identity';
import { imagesRules } from './images';
import { manualRules } from './manual';
import { networkingRules } from './networking';
import { operationsRules } from './operations';
import { podSecurityRules } from './pod-security';
import { resourcesRules } from './resources';

/**
 * Every rule, in checklist order, manual items last.
 *
 * @public
 */
export const RULE_CATALOG: readonly RuleDefinition[] = Object.freeze(
  withFrameworks([
    ...clusterRules,
    ...apiVersionRules,
    ...networkingRules,
    ...identityRules,
    ...podSecurityRules,
    ...imagesRules,
    ...resourcesRules,
    ...availabilityRules,
    ...operationsRules,
    ...aks2026Rules,
    ...manualRules,
  ]),
);

/** The catalog's rules with their framework mapping (rules/frameworks.ts). */
function withFrameworks(rules: readonly RuleDefinition[]): RuleDefinition[] {
  return rules.map(rule => {
    const frameworks = rule.frameworks ?? RULE_FRAMEWORKS[rule.id];
    return frameworks ? { ...rule, frameworks } : rule;
  });
}

/**
 * Every kind whose objects are subjects of a catalog rule (Namespace, the
 * workload kinds, the object rules' kinds). When one of them cannot be
 * listed, the rules on it report one unknown each (see evaluate()); a
 * caller may treat some of them as essential (Namespace and the workload
 * kinds: then nothing workload-related can be judged at all).
 *
 * @public
 */
export const SUBJECT_KINDS: readonly string[] = Object.freeze([
  ...new Set(RULE_CATALOG.flatMap(rule => [...subjectKindsOf(rule)])),
]);

const SUBJECT_KIND_SET: ReadonlySet<string> = new Set(SUBJECT_KINDS);

/**
 * Whether objects of `kind` are subjects of a catalog rule.
 *
 * @public
 */
export function isSubjectKind(kind: string): boolean {
  return SUBJECT_KIND_SET.has(kind);
}

export {
  aks2026Rules,
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
