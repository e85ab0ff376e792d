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
  Finding,
  FindingsPage,
  FindingsQuery,
  NeverEvaluatedCluster,
  OverviewResponse,
  RuleEntitiesResponse,
  PassedChecksResponse,
  ManualChecklistResponse,
  RollupResponse,
  RulesResponse,
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

/**
 * GET /clusters/:name/upgrade-readiness: can the cluster move to the next
 * minor now? `no-blocker-found` is not "ready": a rule that did not run
 * leaves no finding either (hence the source and evaluation time).
 *
 * @public
 */
export interface ClusterUpgradeReadiness {
  cluster: string;
  status: 'blocked' | 'unknown' | 'no-blocker-found';
  /** Failures (waived ones too) of the rules that block an upgrade. */
  blockers: Finding[];
  /** Blocking rules that could not decide. */
  unknowns: Finding[];
  /** Failures and unknowns of the advisory rules (node images, support dates). */
  advisories: Finding[];
  sourceKind: string;
  evaluatedAt?: string;
  rules: readonly string[];
}

/**
 * The formats of a cluster's audit export.
 *
 * @public
 */
export type AuditExportFormat = 'csv' | 'html';

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
  /**
   * One cluster's score and failing rules (`NotFoundError` when unknown,
   * or when the user may not see it).
   */
  getCluster(name: string): Promise<ClusterDetailResponse>;
  /** A page of a cluster's findings, filtered by the backend. */
  getClusterFindings(
    name: string,
    query?: FindingsQuery,
  ): Promise<FindingsPage>;
  /** An entity's score, failing rules and per-cluster breakdown. */
  getEntityScore(entityRef: CompoundEntityRef): Promise<EntityScoreResult>;
  /**
   * A page of an entity's findings, filtered by the backend (empty for an
   * entity without findings, or one the user may not see).
   */
  getEntityFindings(
    entityRef: CompoundEntityRef,
    query?: FindingsQuery,
  ): Promise<FindingsPage>;
  /** An entity's score over recent runs, newest first. */
  getEntityHistory(
    entityRef: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<EntityHistoryResponse>;
  /** A cluster's score over recent runs, newest first. */
  getClusterHistory(
    name: string,
    options?: { limit?: number },
  ): Promise<EntityHistoryResponse>;
  /**
   * A team's entities (`owner`) or the entities named (a system's parts),
   * taken together, lowest score first.
   */
  getRollup(
    query: { owner: string } | { entities: string[] },
  ): Promise<RollupResponse>;
  /** Clusters, owners ranked by score, rules failed most; optionally one owner's part. */
  getOverview(options?: { owner?: string }): Promise<OverviewResponse>;
  /** The entities the user may see that fail a rule (optionally one owner's). */
  getRuleEntities(
    ruleId: string,
    options?: { owner?: string },
  ): Promise<RuleEntitiesResponse>;
  /** The checks that passed, by cluster and category, of a cluster or an entity. */
  getPassedChecks(
    of: { cluster: string } | { entity: CompoundEntityRef },
  ): Promise<PassedChecksResponse>;
  /** An entity's manual checklist: the items confirmed now, and their history. */
  getManualChecklist(
    entity: CompoundEntityRef,
  ): Promise<ManualChecklistResponse>;
  /** Confirms or withdraws an item (aks-baseline.manual.confirm on the entity). */
  setManualConfirmation(
    entity: CompoundEntityRef,
    ruleId: string,
    confirmed: boolean,
  ): Promise<ManualChecklistResponse>;
  /** Recent evaluation runs, newest first. */
  getEvaluations(options?: {
    limit?: number;
    cluster?: string;
  }): Promise<EvaluationRunsResponse>;
  /** Whether the cluster can move to the next minor now (AX-14). */
  getUpgradeReadiness(cluster: string): Promise<ClusterUpgradeReadiness>;
  /** A cluster's audit export (every check, waivers, evaluation time) as a file. */
  getClusterExport(
    cluster: string,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; fileName: string }>;
  /** An entity's audit export, over the clusters the user may see. */
  getEntityExport(
    entity: CompoundEntityRef,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; fileName: string }>;
  /** A team's audit export: the checks of the entities it owns. */
  getTeamExport(
    group: CompoundEntityRef,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; fileName: string }>;
  /** Starts an evaluation of one cluster or all (permission-checked by the backend). */
  runEvaluation(request?: EvaluationRequest): Promise<EvaluationAccepted>;
}

/** @public */
export const aksBaselineApiRef = createApiRef<AksBaselineApi>({
  id: 'plugin.aks-baseline.service',
});
