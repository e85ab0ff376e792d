/*
 * The JSON API under /api/aks-baseline. Every route but /health requires a
 * user or service token; starting an evaluation also requires the
 * evaluation-run permission. Every read answers with what the caller may
 * see (access/FindingsAccess.ts): an entity or a cluster they may not see
 * is answered exactly as one that does not exist. Findings are paged
 * (findingsQuery.ts), and every answer is bounded. Errors are thrown as
 * @backstage/errors types and rendered by the backend as Backstage's error
 * body.
 */
import express from 'express';
import { promisify } from 'util';
import { gunzip as gunzipCallback } from 'zlib';
import Router from 'express-promise-router';
import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterDetailResponse,
  ClusterSummary,
  ClustersResponse,
  EntityHistoryResponse,
  EntityScoreNotFoundReason,
  EntityScoreSummary,
  EvaluationAccepted,
  EvaluationRunsResponse,
  HealthResponse,
  NeverEvaluatedCluster,
  OVERVIEW_ENTITIES_MAX,
  OVERVIEW_OWNERS_MAX,
  OverviewResponse,
  OwnerScore,
  RuleFailureCount,
  RuleInfo,
  RulesResponse,
  aksBaselineEvaluationRunPermission,
  compareSeverity,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  AksBaselineStore,
  StoredCluster,
  StoredEntity,
} from '../database/AksBaselineStore';
import {
  addCounts,
  addFindingCounts,
  combineSummaries,
  emptyFindingCounts,
} from '../scoring';
import { FindingsAccess, FindingsScope } from './access/FindingsAccess';
import { AccessCacheOptions, tokenKey } from './access/AccessCache';
import { Slots } from './slots';

/** Findings pages a replica builds at once. */
const PAGES_AT_ONCE = 2;
import { findingsPageRequest, limitParam, pageJson } from './findingsQuery';

const gunzip = promisify(gunzipCallback);

/**
 * Whether a request's Accept-Encoding admits gzip (Express's negotiation,
 * q-values and `*` included), remembered per header value: clients send
 * a handful of distinct values, and parsing one on every request showed
 * in the score route's profile.
 */
const gzipAccepted = new Map<string, boolean>();
const GZIP_ACCEPTED_MAX = 256;
function acceptsGzip(req: express.Request): boolean {
  const header = req.headers['accept-encoding'];
  if (header === undefined) return false;
  let accepted = gzipAccepted.get(header);
  if (accepted === undefined) {
    accepted = req.acceptsEncodings('gzip') === 'gzip';
    if (gzipAccepted.size >= GZIP_ACCEPTED_MAX) gzipAccepted.clear();
    gzipAccepted.set(header, accepted);
  }
  return accepted;
}

/** `Vary: Accept-Encoding`, added to what earlier middleware put there. */
function appendVary(res: express.Response): void {
  if (res.getHeader('Vary') === undefined) {
    res.setHeader('Vary', 'Accept-Encoding');
  } else {
    res.vary('Accept-Encoding');
  }
}

/** What the router needs from the evaluation side. */
export interface EvaluationTriggers {
  hasCluster(name: string): boolean;
  clusterNames(): string[];
  /**
   * Starts every cluster, or joins the evaluation of all going on (on any
   * replica). `requestedBy` is recorded with the runs.
   */
  triggerAll(requestedBy?: string): Promise<{ alreadyRunning: boolean }>;
  /** Starts one cluster, or joins its run going on (on any replica). */
  triggerCluster(
    name: string,
    requestedBy?: string,
  ): Promise<{ runId: string; alreadyRunning: boolean }>;
}

/** Who asks: a user's entity ref, or a service's subject. */
function requesterOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as
    | BackstageUserPrincipal
    | BackstageServicePrincipal
    | undefined;
  if (principal?.type === 'user') return principal.userEntityRef;
  if (principal?.type === 'service') return principal.subject;
  return undefined;
}

export interface RouterOptions {
  store: AksBaselineStore;
  evaluations: EvaluationTriggers;
  rules: readonly RuleInfo[];
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Asked with the caller's credentials what they may read. */
  catalog: CatalogService;
  logger: LoggerService;
  /** How long what a token may see is kept (AccessCache.ts); false: not at all. */
  accessCache?: Partial<AccessCacheOptions> | false;
}

function singleParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${name} must be a single non-empty value`);
  }
  return value.trim();
}

function publicCluster(cluster: StoredCluster): ClusterSummary {
  const { failedRules: _rules, ...summary } = cluster;
  return summary;
}

/** The clusters of a scope, for the store's `only` (undefined: every one). */
function clustersOf(scope: FindingsScope): ReadonlySet<string> | undefined {
  return scope.all ? undefined : scope.clusters;
}

function entityNotFound(
  entityRef: string,
  reason: EntityScoreNotFoundReason,
  message: string,
  extra: { clusters?: NeverEvaluatedCluster[] } = {},
): NotFoundError {
  // `reason` (and `clusters`) end up in the error body as `error.reason`.
  return Object.assign(new NotFoundError(message), {
    reason,
    entityRef,
    ...extra,
  });
}

/**
 * The 404 of an entity that was evaluated but has no score; it names only
 * clusters the caller may see.
 */
async function noScore(
  store: AksBaselineStore,
  entityRef: string,
  mayShow: (cluster: string) => Promise<boolean>,
): Promise<NotFoundError> {
  const coverage = await store.entityClusterCoverage(entityRef);
  const evaluated = coverage.evaluated;
  const neverEvaluated: NeverEvaluatedCluster[] = [];
  for (const cluster of coverage.neverEvaluated) {
    if (await mayShow(cluster.name)) neverEvaluated.push(cluster);
  }
  const failures = neverEvaluated
    .map(c => `${c.name}${c.lastError ? ` (${c.lastError})` : ''}`)
    .join('; ');
  const hidden = coverage.neverEvaluated.length - neverEvaluated.length;
  if (evaluated.length === 0 && coverage.neverEvaluated.length > 0) {
    const count = coverage.neverEvaluated.length;
    return entityNotFound(
      entityRef,
      'never-evaluated',
      `${entityRef} has no score: its cluster${
        count === 1 ? ' was' : 's were'
      } never evaluated successfully${failures ? `: ${failures}` : ''}${
        hidden > 0 && failures ? ' (and others)' : ''
      }`,
      { clusters: neverEvaluated },
    );
  }
  return entityNotFound(
    entityRef,
    'no-workloads',
    `No Kubernetes objects matched the annotations of ${entityRef} on any evaluated cluster${
      neverEvaluated.length > 0 ? ` (never evaluated: ${failures})` : ''
    }`,
    neverEvaluated.length > 0 ? { clusters: neverEvaluated } : {},
  );
}

function compareScoreAscending(
  a: { score: number | null },
  b: { score: number | null },
): number {
  if (a.score === null && b.score === null) return 0;
  if (a.score === null) return 1;
  if (b.score === null) return -1;
  return a.score - b.score;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, evaluations, httpAuth, permissions, logger } = options;
  const rulesById = new Map(options.rules.map(r => [r.id, r]));
  const router = Router();
  // Only POST /evaluations has a body.
  const jsonBody = express.json({ limit: '16kb' });

  router.get('/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  // Everything below needs a user or a service.
  router.use(async (req, _res, next) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    next();
  });

  router.get('/rules', (_req, res) => {
    const body: RulesResponse = { items: [...options.rules] };
    res.json(body);
  });

  const access = new FindingsAccess({
    permissions,
    catalog: options.catalog,
    logger,
    cache: options.accessCache,
  });
  // The middleware above has read them; this returns the same.
  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  /** The caller's token, hashed: what the access cache keeps per caller. */
  const keyOf = (req: express.Request) => tokenKey(req.headers.authorization);
  const scopeOf = async (req: express.Request) =>
    access.scope(await credentialsOf(req), keyOf(req));
  const mayShowEntity = async (req: express.Request, entityRef: string) =>
    access.canSeeEntity(await credentialsOf(req), entityRef, keyOf(req));
  const mayShowCluster =
    (req: express.Request) =>
    async (cluster: string): Promise<boolean> =>
      access.canSeeCluster(await credentialsOf(req), cluster, keyOf(req));

  router.get('/clusters', async (req, res) => {
    const scope = await scopeOf(req);
    const clusters = await store.listClusters({ only: clustersOf(scope) });
    const body: ClustersResponse = { items: clusters.map(publicCluster) };
    res.json(body);
  });

  /** 404 for a cluster that is not there or that the caller may not see. */
  const visibleCluster = async (req: express.Request) => {
    const name = req.params.name;
    const cluster = (await mayShowCluster(req)(name))
      ? await store.getCluster(name)
      : undefined;
    if (!cluster) throw new NotFoundError(`No cluster named ${name}`);
    return cluster;
  };

  router.get('/clusters/:name', async (req, res) => {
    for (const name of Object.keys(req.query)) {
      throw new InputError(
        `Unknown query parameter ${name}: the findings are paged by /clusters/:name/findings`,
      );
    }
    const cluster = await visibleCluster(req);
    const body: ClusterDetailResponse = {
      ...publicCluster(cluster),
      failingRules: cluster.failingRules,
      facets: cluster.facets,
      totalFindings: cluster.totalFindings,
    };
    res.json(body);
  });

  /** Findings pages built at once; the others wait (slots.ts). */
  const pages = new Slots(PAGES_AT_ONCE);

  /** A page, written as is: the stored findings' JSON joined. */
  const sendPage = (res: express.Response, json: string) => {
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(json));
    res.end(json);
  };

  router.get('/clusters/:name/findings', async (req, res) => {
    const request = findingsPageRequest(req.query, rulesById, {
      entity: false,
    });
    const name = req.params.name;
    if (
      !(await mayShowCluster(req)(name)) ||
      !(await store.clusterExists(name))
    ) {
      throw new NotFoundError(`No cluster named ${name}`);
    }
    sendPage(
      res,
      await pages.run(async () =>
        pageJson(await store.clusterFindingsPage(name, request)),
      ),
    );
  });

  const entityRefOf = (params: Record<string, string>) =>
    stringifyEntityRef({
      kind: params.kind,
      namespace: params.namespace,
      name: params.name,
    });

  const notEvaluated = (entityRef: string) =>
    entityNotFound(
      entityRef,
      'not-evaluated',
      `${entityRef} has not been evaluated: it has no Kubernetes annotation, or no evaluation has run since it was added`,
    );

  router.get('/entities/:namespace/:kind/:name/score', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    // An entity the caller may not see is one that was never evaluated.
    if (!(await mayShowEntity(req, entityRef))) {
      throw notEvaluated(entityRef);
    }
    const stored = await store.getEntityScoreResponse(entityRef);
    if (!stored) throw notEvaluated(entityRef);
    if (!stored.responseGzip) {
      throw await noScore(store, entityRef, mayShowCluster(req));
    }
    // Stored as gzip-compressed JSON when scores were computed
    // (EntityScoreResponse): sent as is to clients that accept gzip (the
    // compression middleware leaves an encoded body alone), with headers
    // set directly rather than through res.send (which would hash the body
    // again for its ETag on every request).
    const gzip = acceptsGzip(req);
    appendVary(res);
    res.setHeader('ETag', gzip ? stored.etag : stored.etagIdentity);
    if (req.fresh) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const body = gzip ? stored.responseGzip : await gunzip(stored.responseGzip);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  });

  router.get('/entities/:namespace/:kind/:name/history', async (req, res) => {
    const limit = limitParam(req.query.limit, 100, 1000);
    const entityRef = entityRefOf(req.params);
    const visible = await mayShowEntity(req, entityRef);
    const body: EntityHistoryResponse = {
      items: visible ? await store.getEntityHistory(entityRef, limit) : [],
    };
    res.json(body);
  });

  router.get('/entities/:namespace/:kind/:name/findings', async (req, res) => {
    const request = findingsPageRequest(req.query, rulesById, {
      entity: true,
    });
    const entityRef = entityRefOf(req.params);
    const visible = await mayShowEntity(req, entityRef);
    // Not visible: the answer of an entity without findings.
    sendPage(
      res,
      visible
        ? await pages.run(async () =>
            pageJson(await store.entityFindingsPage(entityRef, request)),
          )
        : pageJson({ bodies: [], ...(request.withTotal ? { total: 0 } : {}) }),
    );
  });

  router.get('/overview', async (req, res) => {
    const ownerParam = singleParam(req.query.owner, 'owner');
    let owner: string | undefined;
    if (ownerParam) {
      try {
        owner = stringifyEntityRef(
          parseEntityRef(ownerParam, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          }),
        );
      } catch (error) {
        throw new InputError(`Invalid owner "${ownerParam}"`);
      }
    }
    const scope = await scopeOf(req);
    const [clusters, entities] = await Promise.all([
      store.listClusters({ only: clustersOf(scope) }),
      store.listEntities({
        ...(owner ? { owner } : {}),
        ...(scope.all ? {} : { only: scope.entities }),
      }),
    ]);
    const scored = entities.filter(e => e.resourceCount > 0);
    const owners = rankOwners(entities);
    const body: OverviewResponse = {
      clusters: clusters.map(publicCluster),
      owners: owners.slice(0, OVERVIEW_OWNERS_MAX),
      ownerTotal: owners.length,
      topFailingRules: topFailingRules(
        owner || clusters.length === 0 ? undefined : clusters,
        entities,
        rulesById,
      ),
      entities: scored
        .map(toEntitySummary)
        .sort(
          (a, b) =>
            compareScoreAscending(a, b) ||
            a.entityRef.localeCompare(b.entityRef),
        )
        .slice(0, OVERVIEW_ENTITIES_MAX),
      entityTotal: scored.length,
    };
    if (owner) body.owner = owner;
    res.json(body);
  });

  router.get('/evaluations', async (req, res) => {
    const limit = limitParam(req.query.limit, 50, 500);
    const cluster = singleParam(req.query.cluster, 'cluster');
    const scope = await scopeOf(req);
    const body: EvaluationRunsResponse = {
      items: await store.listRuns({
        limit,
        ...(cluster ? { cluster } : {}),
        ...(scope.all ? {} : { only: scope.clusters }),
      }),
    };
    res.json(body);
  });

  router.post('/evaluations', jsonBody, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: aksBaselineEvaluationRunPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'You are not allowed to start an AKS baseline evaluation',
      );
    }
    const requestBody = req.body ?? {};
    if (typeof requestBody !== 'object' || Array.isArray(requestBody)) {
      throw new InputError('The body must be a JSON object');
    }
    const cluster = (requestBody as { cluster?: unknown }).cluster;
    if (cluster !== undefined && (typeof cluster !== 'string' || !cluster)) {
      throw new InputError('cluster must be a non-empty string');
    }
    let body: EvaluationAccepted;
    if (cluster) {
      // Only configured names are accepted: nothing from the request reaches a URL.
      if (!evaluations.hasCluster(cluster)) {
        throw new NotFoundError(`No configured cluster named ${cluster}`);
      }
      const started = await evaluations.triggerCluster(
        cluster,
        requesterOf(credentials),
      );
      body = {
        accepted: true,
        clusters: [cluster],
        runId: started.runId,
        ...(started.alreadyRunning ? { alreadyRunning: true } : {}),
      };
    } else {
      const started = await evaluations.triggerAll(requesterOf(credentials));
      body = {
        accepted: true,
        clusters: evaluations.clusterNames(),
        ...(started.alreadyRunning ? { alreadyRunning: true } : {}),
      };
    }
    logger.info(
      `Evaluation of ${cluster ?? 'all clusters'} requested${
        body.alreadyRunning ? ' (already running)' : ''
      }`,
    );
    res.status(202).json(body);
  });

  return router;
}

function toEntitySummary(entity: StoredEntity): EntityScoreSummary {
  const summary: EntityScoreSummary = {
    entityRef: entity.entityRef,
    score: entity.summary.score,
    grade: entity.summary.grade,
    counts: entity.counts,
    unknown: entity.summary.totals.unknown,
    clusters: entity.clusters,
    evaluatedAt: entity.evaluatedAt,
    stale: entity.stale,
  };
  if (entity.owner) summary.owner = entity.owner;
  return summary;
}

/** Each owner's entities taken together; best score first. */
export function rankOwners(entities: readonly StoredEntity[]): OwnerScore[] {
  const byOwner = new Map<string, StoredEntity[]>();
  for (const entity of entities) {
    if (!entity.owner || entity.resourceCount === 0) continue;
    const list = byOwner.get(entity.owner) ?? [];
    list.push(entity);
    byOwner.set(entity.owner, list);
  }
  const owners: OwnerScore[] = [];
  for (const [owner, list] of byOwner) {
    const summary = combineSummaries(list.map(e => e.summary));
    const counts = emptyFindingCounts();
    for (const e of list) addFindingCounts(counts, e.counts);
    owners.push({
      owner,
      score: summary.score,
      grade: summary.grade,
      categories: summary.categories,
      totals: summary.totals,
      counts,
      entities: list.filter(e => e.summary.score !== null).length,
      stale: list.some(e => e.stale),
    });
  }
  return owners.sort((a, b) => {
    if (a.score === null && b.score === null)
      return a.owner.localeCompare(b.owner);
    if (a.score === null) return 1;
    if (b.score === null) return -1;
    return b.score - a.score || a.owner.localeCompare(b.owner);
  });
}

/** The rules failed most, over clusters (organisation) or entities (owner). */
export function topFailingRules(
  clusters: readonly StoredCluster[] | undefined,
  entities: readonly StoredEntity[],
  rulesById: ReadonlyMap<string, RuleInfo>,
  limit = 10,
): RuleFailureCount[] {
  const failures: Record<string, number> = {};
  const clusterCounts: Record<string, number> = {};
  if (clusters) {
    for (const cluster of clusters) {
      const rules = cluster.failedRules ?? {};
      addCounts(failures, rules);
      for (const id of Object.keys(rules)) {
        clusterCounts[id] = (clusterCounts[id] ?? 0) + 1;
      }
    }
  } else {
    for (const entity of entities) addCounts(failures, entity.failedRules);
  }
  const entityCounts: Record<string, number> = {};
  for (const entity of entities) {
    for (const id of Object.keys(entity.failedRules)) {
      entityCounts[id] = (entityCounts[id] ?? 0) + 1;
    }
  }
  const rows: RuleFailureCount[] = [];
  for (const [ruleId, count] of Object.entries(failures)) {
    const rule = rulesById.get(ruleId);
    if (!rule || count === 0) continue;
    const row: RuleFailureCount = {
      ruleId,
      baselineRef: rule.baselineRef,
      title: rule.title,
      category: rule.category,
      severity: rule.severity,
      failures: count,
      entities: entityCounts[ruleId] ?? 0,
    };
    if (clusters) row.clusters = clusterCounts[ruleId] ?? 0;
    rows.push(row);
  }
  return rows
    .sort(
      (a, b) =>
        b.failures - a.failures ||
        compareSeverity(a.severity, b.severity) ||
        a.ruleId.localeCompare(b.ruleId),
    )
    .slice(0, limit);
}
