import type { Category } from './category';
import type { ResourceRef } from './finding';
import type { Severity } from './severity';

/**
 * Checks that passed on one cluster in one category. A result keeps its
 * passes counted by category (and the score's weights), not one by one:
 * failures are listed as findings, passes as these counts.
 *
 * @public
 */
export interface PassedChecks {
  cluster: string;
  category: Category;
  passed: number;
}

/**
 * A rule that passed on an entity's objects on one cluster: checked there
 * and passed, never unknown, skipped, not applicable or waived.
 *
 * @public
 */
export interface PassedRule {
  cluster: string;
  ruleId: string;
  title: string;
  category: Category;
  /** After configuration overrides, as the evaluation weighed it. */
  severity: Severity;
  /** The first objects it passed on (all of them when `total` is their number). */
  objects: ResourceRef[];
  /** How many objects it passed on. */
  total: number;
}

/**
 * Passes the stored result cannot tie to one rule (on an object where two
 * sets of its rules would add up to the same count and weight, the others
 * not applicable there): counted, not named.
 *
 * @public
 */
export interface UnattributedPasses {
  cluster: string;
  category: Category;
  passed: number;
}

/**
 * An entity part's passes as stored with it: the objects named
 * (`Kind/namespace/name`, each once), per rule id the indexes of the first
 * few it passed on in that list and how many it passed on, and the passes
 * counted by category only.
 *
 * @public
 */
export interface StoredPasses {
  objects: string[];
  rules: Record<string, { on: number[]; total: number }>;
  unattributed?: Partial<Record<Category, number>>;
}

/**
 * `GET /clusters/:name/passed` and `GET /entities/:namespace/:kind/:name/passed`:
 * the checks that passed, by cluster and category, over what the caller may
 * see (the findings routes' access).
 *
 * @public
 */
export interface PassedChecksResponse {
  /** Clusters in name order, categories in the baseline's order. */
  items: PassedChecks[];
  /** All of them. */
  total: number;
  /**
   * Entities: each rule that passed, by cluster, category and rule id
   * (absent for results stored before passes were kept).
   */
  rules?: PassedRule[];
  /** Entities: the passes no single rule can be named for. */
  unattributed?: UnattributedPasses[];
}
