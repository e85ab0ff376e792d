import { Category } from './category';
import { RuleFrameworks } from './frameworks';
import { Severity } from './severity';

/**
 * What a rule is evaluated against, once per subject.
 *
 * @public
 */
export type RuleScope =
  | 'cluster'
  | 'nodePool'
  | 'namespace'
  | 'workload'
  | 'object';

/**
 * Production clusters and namespaces are held to stricter rules.
 *
 * @public
 */
export type Profile = 'production' | 'non-production';

/** @public */
export interface Remediation {
  /** One line that says what to change. */
  summary: string;
  /** The exact fix: an `az aks ...` or `kubectl ...` command. */
  command?: string;
  /** Or a YAML (or JSON) snippet to apply. */
  snippet?: string;
}

/**
 * Everything about a rule except its check function: serialisable, shared
 * with the frontend, the CLI and docs/rules.md.
 *
 * @public
 */
export interface RuleMetadata {
  /** Stable, kebab-case, never reused: `container-drop-all-capabilities`. */
  id: string;
  /** The checklist key it implements, e.g. `PS-05`. */
  baselineRef: string;
  category: Category;
  severity: Severity;
  title: string;
  /** Why it matters, one or two sentences. */
  rationale: string;
  remediation: Remediation;
  scope: RuleScope;
  /** Present when the item cannot be read from the ARM or Kubernetes APIs. */
  manual?: {
    reason: string;
    /**
     * Whom the item concerns: a service's owners (its page lists it) or the
     * cluster's operators (the cluster page only). Absent: both.
     */
    concerns?: 'service' | 'cluster';
  };
  /** The CIS, Pod Security Standards and Azure Policy controls it maps to (optional for custom rules). */
  frameworks?: RuleFrameworks;
}
