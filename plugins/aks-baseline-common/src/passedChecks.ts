import type { Category } from './category';

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
}
