import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ClusterDetailResponse,
  ClustersResponse,
  EntityHistoryResponse,
  EntityScoreNotFoundReason,
  EntityScoreResponse,
  EvaluationAccepted,
  EvaluationRequest,
  EvaluationRunsResponse,
  FindingStatus,
  NeverEvaluatedCluster,
  OverviewResponse,
  RulesResponse,
  Severity,
  Category,
} from '@aks-baseline/plugin-aks-baseline-common';

/**
 * An entity's score, or why there is none: `not-evaluated` (no evaluation
 * covered it yet), `never-evaluated` (its clusters were tried but never
 * read: `clusters` holds their errors) or `no-workloads` (evaluated,
 * nothing matched its annotations on any cluster).
 *
 * @public
 */
export type EntityScoreResult =
  | { evaluated: true; score: EntityScoreResponse }
  | {
      evaluated: false;
      reason: EntityScoreNotFoundReason;
      clusters?: NeverEvaluatedCluster[];
    };

/** @public */
export interface ClusterFindingFilters {
  severity?: Severity[];
  category?: Category[];
  status?: FindingStatus[];
}

/**
 * The AKS Baseline backend's HTTP API, as the frontend uses it.
 *
 * @public
 */
export interface AksBaselineApi {
  /** The rule catalog, manual rules included. */
  getRules(): Promise<RulesResponse>;
  /** Every configured cluster with its latest score. */
  getClusters(): Promise<ClustersResponse>;
  /** One cluster's score and findings (`NotFoundError` when unknown). */
  getCluster(
    name: string,
    filters?: ClusterFindingFilters,
  ): Promise<ClusterDetailResponse>;
  /** An entity's score, findings and per-cluster breakdown. */
  getEntityScore(entityRef: CompoundEntityRef): Promise<EntityScoreResult>;
  /** An entity's score over recent runs, newest first. */
  getEntityHistory(
    entityRef: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<EntityHistoryResponse>;
  /** Clusters, owners ranked by score, rules failed most; optionally one owner's part. */
  getOverview(options?: { owner?: string }): Promise<OverviewResponse>;
  /** Recent evaluation runs, newest first. */
  getEvaluations(options?: {
    limit?: number;
    cluster?: string;
  }): Promise<EvaluationRunsResponse>;
  /** Starts an evaluation of one cluster or all (permission-checked by the backend). */
  runEvaluation(request?: EvaluationRequest): Promise<EvaluationAccepted>;
}

/** @public */
export const aksBaselineApiRef = createApiRef<AksBaselineApi>({
  id: 'plugin.aks-baseline.service',
});
