/*
 * The backend plugin's HTTP API (`/api/aks-baseline`): response shapes
 * shared by the backend router and the frontend client. Every timestamp is
 * an ISO 8601 string. Errors use Backstage's error body
 * (`{ error: { name, message }, request, response: { statusCode } }`).
 * Every read answers only with what the caller may see
 * (`aks-baseline.findings.read` and `catalog.entity.read`): an entity or a
 * cluster the caller may not see is answered as one that does not exist.
 */
import { Finding, FindingStatus, ResourceRef } from './finding';
import { Category } from './category';
import { Profile, RuleMetadata } from './rule';
import { CategoryScore, Grade, Tally } from './score';
import { Severity } from './severity';

/**
 * Failing findings (waived excluded) counted by severity.
 *
 * @public
 */
export type SeverityCounts = Record<Severity, number>;

/**
 * What a set of findings holds, counted.
 *
 * @public
 */
export interface FindingCounts {
  /** Failures that count in the score (expired waivers included), by severity. */
  failing: SeverityCounts;
  waived: number;
  unknown: number;
  manual: number;
  notApplicable: number;
}

/**
 * Where a cluster's data comes from.
 *
 * @public
 */
export type ClusterSourceKindName = 'snapshot' | 'azure' | 'kubernetes';

/**
 * `GET /rules` item: a rule's metadata as configured.
 *
 * @public
 */
export interface RuleInfo extends RuleMetadata {
  /** `arm` (Azure Resource Manager) or `kubernetes`. */
  source?: 'arm' | 'kubernetes';
  /** The kinds of its subjects (workload and object rules). */
  kinds?: string[];
  /** When set, the rule only applies under these profiles. */
  profiles?: Profile[];
  /** False when switched off in `aksBaseline.baseline.rules`. */
  enabled: boolean;
  /** The severity the catalog ships with, when configuration overrides it. */
  defaultSeverity?: Severity;
}

/**
 * `GET /rules`
 *
 * @public
 */
export interface RulesResponse {
  items: RuleInfo[];
}

/**
 * The score part shared by clusters, entities and owners.
 *
 * @public
 */
export interface ScorePart {
  /** 0–100, or null when nothing scorable was evaluated. */
  score: number | null;
  grade: Grade | null;
  /** Categories that had at least one check, in checklist order. */
  categories: CategoryScore[];
  totals: Tally;
  counts: FindingCounts;
}

/**
 * A Kubernetes kind an evaluation could not list, and why ("forbidden (403):
 * the identity cannot list clusterrolebindings..."). The checks that needed
 * it are `unknown`, counted in `totals.unknown`.
 *
 * @public
 */
export interface UnreadableKind {
  kind: string;
  reason: string;
}

/**
 * Whether a result is there and current: `ok` (the last attempt
 * succeeded), `stale` (it failed; the result shown is the last good one),
 * `never-evaluated` (no attempt has succeeded: there is no result, only
 * `lastError`).
 *
 * @public
 */
export type ResultStatus = 'ok' | 'stale' | 'never-evaluated';

/**
 * `GET /clusters` item.
 *
 * @public
 */
export interface ClusterSummary extends ScorePart {
  name: string;
  sourceKind: ClusterSourceKindName | string;
  /** `production` or `non-production` (cluster `Environment` tag). */
  profile?: string;
  /** When the result shown was computed; absent until a first success. */
  evaluatedAt?: string;
  /** When the last attempt (successful or not) finished. */
  lastAttemptAt?: string;
  status: ResultStatus;
  /**
   * True when the last attempt failed and an older result is shown; false
   * when there is no result at all (`status: 'never-evaluated'`).
   */
  stale: boolean;
  staleReason?: string;
  /** The last attempt's error, if it failed (never a token or body). */
  lastError?: string;
  /** Kinds the result shown could not list; absent when every kind was read. */
  unreadableKinds?: UnreadableKind[];
  lastRunId?: string;
  /** Objects read, rules run, checks made, in the last good evaluation. */
  stats?: {
    objects: number;
    rules: number;
    checks: number;
    ignoredKinds?: Record<string, number>;
  };
}

/**
 * `GET /clusters`
 *
 * @public
 */
export interface ClustersResponse {
  items: ClusterSummary[];
}

/**
 * A rule that fails, with how often and a few of the objects it fails on:
 * prepared at evaluation time for the cards (the whole list is paged, see
 * `FindingsPage`).
 *
 * @public
 */
export interface FailingRuleSummary {
  ruleId: string;
  baselineRef: string;
  category: Category;
  severity: Severity;
  /** Failing findings of this rule (one per object). */
  failures: number;
  /** The first objects it fails on, in the findings' order (at most `FAILING_RULE_SAMPLE`). */
  resources: ResourceRef[];
  /** Clusters where it fails. */
  clusters: string[];
}

/**
 * How many objects a `FailingRuleSummary` names.
 *
 * @public
 */
export const FAILING_RULE_SAMPLE = 3;

/**
 * How the findings of a cluster or an entity split, before any filter:
 * what the findings table's filters offer, with counts. `namespace` holds
 * at most `FACET_NAMESPACES_MAX` namespaces, the most findings first (`''`
 * stands for cluster-scoped objects); `namespacesTruncated` says when more
 * exist.
 *
 * @public
 */
export interface FindingFacets {
  severity: Partial<Record<Severity, number>>;
  status: Partial<Record<FindingStatus, number>>;
  category: Partial<Record<Category, number>>;
  cluster: Record<string, number>;
  namespace: Record<string, number>;
  namespacesTruncated?: boolean;
}

/** @public */
export const FACET_NAMESPACES_MAX = 200;

/**
 * `GET /clusters/:name`: the cluster's score with its failing rules; the
 * findings themselves are paged (`GET /clusters/:name/findings`).
 *
 * @public
 */
export interface ClusterDetailResponse extends ClusterSummary {
  /** Every rule that fails on the cluster, the costliest first (severity weight times failures). */
  failingRules: FailingRuleSummary[];
  facets: FindingFacets;
  /** Number of findings of the cluster. */
  totalFindings: number;
}

/**
 * Query of the paged findings routes, `GET /clusters/:name/findings` and
 * `GET /entities/:namespace/:kind/:name/findings`. Each list filter may
 * repeat or be comma-separated; `namespace` `''` (or `-`) selects
 * cluster-scoped objects; `q` searches the rule (id, key, title), the
 * message, the object's kind, namespace and name, and the cluster.
 *
 * @public
 */
export interface FindingsQuery {
  severity?: Severity[];
  status?: FindingStatus[];
  category?: Category[];
  rule?: string[];
  kind?: string[];
  namespace?: string[];
  /** Entity findings only: the clusters to show. */
  cluster?: string[];
  q?: string;
  /** Findings per page: default `FINDINGS_PAGE_DEFAULT_LIMIT`, at most `FINDINGS_PAGE_MAX_LIMIT`. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** @public */
export const FINDINGS_PAGE_DEFAULT_LIMIT = 100;
/** @public */
export const FINDINGS_PAGE_MAX_LIMIT = 500;
/**
 * A page also ends once its findings reach this many bytes of JSON.
 *
 * @public
 */
export const FINDINGS_PAGE_MAX_BYTES = 1024 * 1024;

/**
 * One page of findings, failures first (status, severity, rule, cluster,
 * namespace, name). Walking the pages with `nextCursor` gives every
 * finding that matches the filters exactly once.
 *
 * @public
 */
export interface FindingsPage {
  items: Finding[];
  /** Absent on the last page. */
  nextCursor?: string;
  /** Findings matching the filters: on the first page (no cursor) only. */
  total?: number;
}

/**
 * One cluster's part of an entity's score.
 *
 * @public
 */
export interface EntityClusterScore extends ScorePart {
  cluster: string;
  evaluatedAt: string;
  stale: boolean;
  staleReason?: string;
  /**
   * Kinds of this cluster that could not be listed and that checks of this
   * entity needed (their checks are in `totals.unknown`).
   */
  unreadableKinds?: UnreadableKind[];
  /**
   * The Kubernetes objects (workloads, Services, ...) matched on this
   * cluster, at most `ENTITY_RESOURCES_MAX`; `resourceCount` counts them all.
   */
  resources: ResourceRef[];
  resourceCount: number;
}

/**
 * How many objects an entity's answer lists per cluster.
 *
 * @public
 */
export const ENTITY_RESOURCES_MAX = 200;

/**
 * `GET /entities/:namespace/:kind/:name/score`
 *
 * @public
 */
export interface EntityScoreResponse extends ScorePart {
  entityRef: string;
  owner?: string;
  /** Objects matched over all clusters. */
  resourceCount: number;
  /** Latest evaluation time among its clusters. */
  evaluatedAt: string;
  /** True when any of its clusters' last attempt failed. */
  stale: boolean;
  staleReason?: string;
  /** Every rule that fails on the entity's objects, the costliest first. */
  failingRules: FailingRuleSummary[];
  /** Rules with a `manual` finding on the entity (its checklist). */
  manualRuleIds: string[];
  facets: FindingFacets;
  /**
   * Findings on the entity's objects over all its clusters; they are paged
   * (`GET /entities/:namespace/:kind/:name/findings`).
   */
  totalFindings: number;
  clusters: EntityClusterScore[];
}

/**
 * `reason` of the 404 body of the score route (`body.error.reason`):
 * `not-evaluated` (unknown entity, no annotation, or no evaluation yet),
 * `never-evaluated` (the clusters it can be on were tried, but none was ever
 * read: `body.error.clusters` says why) or `no-workloads` (evaluated, but no
 * Kubernetes object matched its annotations on any cluster).
 *
 * @public
 */
export type EntityScoreNotFoundReason =
  | 'not-evaluated'
  | 'never-evaluated'
  | 'no-workloads';

/**
 * `body.error.clusters` of a `never-evaluated` 404: each cluster's last error.
 *
 * @public
 */
export interface NeverEvaluatedCluster {
  name: string;
  lastError?: string;
  lastAttemptAt?: string;
}

/**
 * `GET /entities/:namespace/:kind/:name/history?limit=` item, newest first.
 *
 * @public
 */
export interface ScoreHistoryPoint {
  evaluatedAt: string;
  score: number | null;
  cluster: string;
}

/** @public */
export interface EntityHistoryResponse {
  items: ScoreHistoryPoint[];
}

/**
 * `GET /overview` owner row: a team's entities taken together.
 *
 * @public
 */
export interface OwnerScore extends ScorePart {
  /** Entity ref of the owner, e.g. `group:default/team-payments`. */
  owner: string;
  /** Entities of this owner with a score. */
  entities: number;
  stale: boolean;
}

/**
 * `GET /overview` rule row: failed most across the organisation.
 *
 * @public
 */
export interface RuleFailureCount {
  ruleId: string;
  baselineRef: string;
  title: string;
  category: Category;
  severity: Severity;
  /** Failing findings (one per object) over all entities in scope. */
  failures: number;
  /** Entities in scope with at least one failure of this rule. */
  entities: number;
  /** Clusters with at least one failure of this rule (organisation scope only). */
  clusters?: number;
}

/**
 * `GET /overview` entity row (the entities in scope, worst first).
 *
 * @public
 */
export interface EntityScoreSummary {
  entityRef: string;
  owner?: string;
  score: number | null;
  grade: Grade | null;
  counts: FindingCounts;
  /** Checks that could not be made (`totals.unknown` of its score). */
  unknown: number;
  clusters: string[];
  evaluatedAt: string;
  stale: boolean;
}

/**
 * `GET /overview?owner=`
 *
 * @public
 */
export interface OverviewResponse {
  /** The clusters the user may see. */
  clusters: ClusterSummary[];
  /** Best score first; owners without a score last; at most `OVERVIEW_OWNERS_MAX`. */
  owners: OwnerScore[];
  /** Owners before the cap. */
  ownerTotal: number;
  /**
   * Most failures first (at most 10): over the findings of the clusters the
   * user may see, or over the entities in scope when filtered by owner or
   * when the user may see no cluster.
   */
  topFailingRules: RuleFailureCount[];
  /**
   * Entities in scope (the owner's, or all) that the user may see, lowest
   * score first, at most `OVERVIEW_ENTITIES_MAX`.
   */
  entities: EntityScoreSummary[];
  /** Entities in scope before the cap. */
  entityTotal: number;
  /** The owner filter applied, as an entity ref. */
  owner?: string;
}

/** @public */
export const OVERVIEW_OWNERS_MAX = 500;
/** @public */
export const OVERVIEW_ENTITIES_MAX = 200;

/**
 * `GET /rollup?owner=` (a team's entities) or `?entity=` (a system's parts):
 * the entities the caller may see, taken together as the overview's owner
 * rows are (the checks of all their objects pooled, not the mean of their
 * scores).
 *
 * @public
 */
export interface RollupResponse extends ScorePart {
  /** The owner asked for, as an entity ref (with `owner`). */
  owner?: string;
  /** The entities with a score, lowest first, at most `ROLLUP_ENTITIES_MAX`. */
  entities: EntityScoreSummary[];
  /** Entities with a score before the cap. */
  entityTotal: number;
  /** True when any entity's result is stale. */
  stale: boolean;
}

/** @public */
export const ROLLUP_ENTITIES_MAX = 200;

/** @public */
export type EvaluationTrigger = 'schedule' | 'manual';
/** @public */
export type EvaluationStatus = 'running' | 'success' | 'failed';

/**
 * `GET /evaluations` item: one cluster's evaluation attempt.
 *
 * @public
 */
export interface EvaluationRun {
  id: string;
  cluster: string;
  trigger: EvaluationTrigger;
  /** A manual run: who asked for it (a user entity ref, or a service's subject). */
  requestedBy?: string;
  status: EvaluationStatus;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** Filled on success. */
  score?: number | null;
  grade?: Grade | null;
  counts?: FindingCounts;
  /** Catalog entities with a score on this cluster. */
  entities?: number;
  durationMs?: number;
}

/**
 * `GET /evaluations?limit=&cluster=` newest first.
 *
 * @public
 */
export interface EvaluationRunsResponse {
  items: EvaluationRun[];
}

/**
 * `POST /evaluations` body.
 *
 * @public
 */
export interface EvaluationRequest {
  /** One configured cluster; all clusters when absent. */
  cluster?: string;
}

/**
 * `POST /evaluations` answer (202 Accepted): the work runs in the background.
 *
 * @public
 */
export interface EvaluationAccepted {
  accepted: true;
  /** Clusters the evaluation covers. */
  clusters: string[];
  /** Run id, for a single cluster. */
  runId?: string;
  /** True when an evaluation of the same scope was already running (no new one started). */
  alreadyRunning?: boolean;
}

/**
 * `GET /health`
 *
 * @public
 */
export interface HealthResponse {
  status: 'ok';
}
