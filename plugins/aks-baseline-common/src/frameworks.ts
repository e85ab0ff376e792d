/*
 * The frameworks auditors map controls to: which CIS Azure Kubernetes
 * Service Benchmark recommendations, Pod Security Standards controls and
 * Azure Policy built-in definitions a rule stands for.
 */

/**
 * The CIS Azure Kubernetes Service (AKS) Benchmark version the `cisAks`
 * ids refer to (its numbering changes between versions).
 *
 * @public
 */
export const CIS_AKS_BENCHMARK_VERSION = '1.7.0';

/**
 * A Pod Security Standards level with a control (the privileged level has none).
 *
 * @public
 */
export type PodSecurityLevel = 'baseline' | 'restricted';

/**
 * Where a rule sits in the Pod Security Standards: the lowest level whose
 * controls require what it checks, or why no control does (`level: null`).
 *
 * @public
 */
export type PodSecurityStandardsMapping =
  | {
      level: PodSecurityLevel;
      /** The controls' names as the Pod Security Standards page lists them. */
      controls: readonly string[];
    }
  | { level: null; reason: string };

/**
 * An Azure Policy built-in definition that audits or enforces a rule.
 *
 * @public
 */
export interface AzurePolicyDefinitionRef {
  /** As the portal shows it. */
  displayName: string;
  /** The definition's name (a GUID): `/providers/Microsoft.Authorization/policyDefinitions/<id>`. */
  id: string;
  /** True when AKS Deployment Safeguards assign it (warned or enforced at admission). */
  deploymentSafeguards?: boolean;
}

/**
 * The frameworks a rule maps to. Only what is known is listed: a rule
 * without a CIS id has no matching recommendation we could verify.
 *
 * @public
 */
export interface RuleFrameworks {
  /** CIS AKS Benchmark recommendation ids ({@link CIS_AKS_BENCHMARK_VERSION}), e.g. `5.4.1`. */
  cisAks?: readonly string[];
  podSecurityStandards?: PodSecurityStandardsMapping;
  azurePolicy?: readonly AzurePolicyDefinitionRef[];
}

/**
 * A framework a finding list can be filtered by.
 *
 * @public
 */
export type FrameworkName =
  | 'cis-aks'
  | 'pod-security-standards'
  | 'azure-policy';

/**
 * Whether a rule's metadata maps it to a framework.
 *
 * @public
 */
export function mapsToFramework(
  frameworks: RuleFrameworks | undefined,
  framework: FrameworkName,
): boolean {
  if (!frameworks) return false;
  if (framework === 'cis-aks') return (frameworks.cisAks?.length ?? 0) > 0;
  if (framework === 'azure-policy')
    return (frameworks.azurePolicy?.length ?? 0) > 0;
  return !!frameworks.podSecurityStandards?.level;
}
