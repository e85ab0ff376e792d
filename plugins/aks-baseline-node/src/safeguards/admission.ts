/*
 * Deployment Safeguards awareness (AX-08): which findings the cluster's
 * Safeguards act on at admission. A finding stays a finding (Safeguards
 * may only warn, its namespace may be excluded, and objects admitted
 * before Safeguards were turned on are still there); this says what the
 * cluster does with such an object the next time it is applied.
 */
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { DeploymentSafeguardsModel } from '../engine/types';

/**
 * What admission does about one finding.
 *
 * @public
 */
export interface AdmissionControl {
  /** `Deployment Safeguards` or its `Pod Security Standards` level. */
  by: 'Deployment Safeguards' | 'Pod Security Standards';
  /** The Safeguards policy or Pod Security Standards level that applies. */
  policy: string;
  /**
   * `deny`: the API server refuses the object; `mutate`: admission fixes
   * it (Enforce); `warn`: the deployer gets a warning and it is admitted.
   */
  effect: 'deny' | 'mutate' | 'warn';
  /** One line for the finding, e.g. "enforced at admission by Safeguards (…)". */
  note: string;
}

interface SafeguardPolicy {
  policy: string;
  /** What Enforce does: refuse, or change the object (the Safeguards mutators). */
  enforce: 'deny' | 'mutate';
}

/** The Safeguards policies (docs: "Deployment safeguards policies") and the rules they cover. */
const SAFEGUARD_POLICIES: Readonly<Record<string, SafeguardPolicy>> = {
  'container-resource-requests': {
    policy:
      'Kubernetes cluster containers CPU and memory resource requests must be defined',
    enforce: 'mutate',
  },
  'workload-zone-and-host-spread': {
    policy: 'Must have anti-affinity rules or topologySpreadConstraints set',
    enforce: 'mutate',
  },
  'container-liveness-probe': {
    policy:
      'Ensure cluster containers have readiness or liveness probes configured',
    enforce: 'deny',
  },
  'container-readiness-probe': {
    policy:
      'Ensure cluster containers have readiness or liveness probes configured',
    enforce: 'deny',
  },
};

const PSS_RANK: Readonly<Record<string, number>> = {
  privileged: 0,
  baseline: 1,
  restricted: 2,
};

/** The Pod Security Standards level whose checks refuse what each rule finds. */
const PSS_RULES: Readonly<Record<string, 'baseline' | 'restricted'>> = {
  'container-not-privileged': 'baseline',
  'pod-no-host-namespaces-or-paths': 'baseline',
  'container-run-as-non-root': 'restricted',
  'container-no-privilege-escalation': 'restricted',
  'container-drop-all-capabilities': 'restricted',
  'container-seccomp-profile': 'restricted',
};

/**
 * The rules whose findings Safeguards can act on (for tests and docs).
 *
 * @public
 */
export const ADMISSION_CONTROLLED_RULES: readonly string[] = Object.freeze([
  ...Object.keys(SAFEGUARD_POLICIES),
  ...Object.keys(PSS_RULES),
]);

/** Whether a namespace is out of Safeguards' reach (its own or AKS's exclusions). */
function excluded(
  safeguards: DeploymentSafeguardsModel,
  namespace: string | undefined,
): boolean {
  if (namespace === undefined) return false;
  return (
    (safeguards.excludedNamespaces ?? []).includes(namespace) ||
    (safeguards.systemExcludedNamespaces ?? []).includes(namespace)
  );
}

function levelOf(
  safeguards: DeploymentSafeguardsModel,
): 'warn' | 'enforce' | undefined {
  const level = safeguards.level?.toLowerCase();
  return level === 'warn' || level === 'enforce' ? level : undefined;
}

/**
 * What the cluster's Safeguards do at admission about a finding, or
 * undefined when they do not act on it (not configured, not read, another
 * rule, an excluded namespace, a Pod Security Standards level below it).
 *
 * @public
 */
export function admissionControl(
  finding: Finding,
  safeguardsList: readonly DeploymentSafeguardsModel[] | undefined,
): AdmissionControl | undefined {
  const safeguards =
    safeguardsList?.find(s => s.name === undefined || s.name === 'default') ??
    safeguardsList?.[0];
  if (!safeguards) return undefined;
  const level = levelOf(safeguards);
  if (!level || excluded(safeguards, finding.resource.namespace))
    return undefined;
  const policy = SAFEGUARD_POLICIES[finding.ruleId];
  if (policy) {
    const effect = level === 'enforce' ? policy.enforce : 'warn';
    return {
      by: 'Deployment Safeguards',
      policy: policy.policy,
      effect,
      note: `${
        effect === 'warn' ? 'warned at admission' : 'enforced at admission'
      } by Safeguards (${policy.policy}${
        effect === 'mutate' ? ': admission changes the object' : ''
      })`,
    };
  }
  const needed = PSS_RULES[finding.ruleId];
  const pss = safeguards.podSecurityStandardsLevel?.toLowerCase();
  if (
    needed &&
    pss !== undefined &&
    (PSS_RANK[pss] ?? -1) >= PSS_RANK[needed]
  ) {
    const effect = level === 'enforce' ? 'deny' : 'warn';
    const levelName = safeguards.podSecurityStandardsLevel!;
    return {
      by: 'Pod Security Standards',
      policy: levelName,
      effect,
      note: `${
        effect === 'deny' ? 'enforced at admission' : 'warned at admission'
      } by Safeguards (Pod Security Standards ${levelName})`,
    };
  }
  return undefined;
}

/**
 * What Pod Security Admission does with a finding's object in a namespace
 * whose `pod-security.kubernetes.io/enforce` label is `enforceLevel`: a Pod
 * is refused, a workload is admitted but its pods are refused. Undefined
 * when the level does not cover the rule (or there is no level: AKS admits
 * everything, `privileged`, by default).
 *
 * @public
 */
export function namespacePodSecurityControl(
  finding: Finding,
  enforceLevel: string | undefined,
): AdmissionControl | undefined {
  const needed = PSS_RULES[finding.ruleId];
  const level = enforceLevel?.toLowerCase();
  if (!needed || level === undefined) return undefined;
  if ((PSS_RANK[level] ?? -1) < PSS_RANK[needed]) return undefined;
  const what =
    finding.resource.kind === 'Pod'
      ? 'refused at admission'
      : 'admitted, its pods refused at admission';
  return {
    by: 'Pod Security Standards',
    policy: level,
    effect: 'deny',
    note: `${what} by Pod Security Admission (namespace ${
      finding.resource.namespace ?? ''
    } enforces ${level})`,
  };
}
