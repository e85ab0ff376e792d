import { Category } from './category';
import type { FixSuggestion } from './fix';
import { Severity } from './severity';

/**
 * Outcome of one rule on one subject.
 *
 * @public
 */
export type CheckStatus = 'pass' | 'fail' | 'not-applicable' | 'unknown';

/**
 * How a finding is shown: a waived failure stays visible as `waived`.
 *
 * @public
 */
export type FindingStatus =
  | 'fail'
  | 'waived'
  | 'unknown'
  | 'not-applicable'
  | 'manual';

/** @public */
export const FINDING_STATUSES: readonly FindingStatus[] = [
  'fail',
  'waived',
  'unknown',
  'not-applicable',
  'manual',
];

/**
 * The object (or Azure resource) a finding concerns.
 *
 * @public
 */
export interface ResourceRef {
  /** `ManagedCluster`, `AgentPool`, `Namespace`, `Deployment`, ... */
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

/**
 * What was read to reach the verdict.
 *
 * @public
 */
export interface Evidence {
  /** JSON path into the object, e.g. `spec.template.spec.containers[0].securityContext.runAsNonRoot`. */
  path: string;
  /** The value found there (`undefined` when absent), JSON-serialisable. */
  value?: unknown;
  /** What the rule expected, in words, where it helps. */
  expected?: string;
}

/** @public */
export interface Waiver {
  ruleId: string;
  reason: string;
  /** ISO date (YYYY-MM-DD) or timestamp after which the waiver no longer applies. */
  expires?: string;
  /** Who granted it: an entity ref or a person. */
  owner?: string;
  /** Where it came from. */
  source: 'annotation' | 'config';
  /** True when `expires` is in the past: the finding counts as a failure again. */
  expired?: boolean;
}

/**
 * What the cluster's Deployment Safeguards do at admission with the object
 * of a finding (the finding stays: Safeguards may only warn, and objects
 * admitted before remain).
 *
 * @public
 */
export interface FindingAdmission {
  by: 'Deployment Safeguards' | 'Pod Security Standards';
  /** The Safeguards policy, or the Pod Security Standards level. */
  policy: string;
  /** `deny`: refused; `mutate`: changed at admission; `warn`: admitted with a warning. */
  effect: 'deny' | 'mutate' | 'warn';
  note: string;
}

/** @public */
export interface Finding {
  ruleId: string;
  baselineRef: string;
  category: Category;
  /** After configuration overrides. */
  severity: Severity;
  status: FindingStatus;
  /** Cluster name as configured; absent for offline manifest scans. */
  cluster?: string;
  resource: ResourceRef;
  message: string;
  evidence?: Evidence[];
  waiver?: Waiver;
  /** Set by the backend when the cluster's Safeguards act on it (admissionControl in -node). */
  admission?: FindingAdmission;
  /**
   * How to fix this failure (fail or waived), worked out by its rule from
   * what it found: served by the backend's findings API and printed by the
   * CLI's JSON. Absent when the rule has nothing better than its remediation.
   */
  fix?: FixSuggestion;
}
