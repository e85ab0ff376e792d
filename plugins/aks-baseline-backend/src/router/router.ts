/*
 * The JSON API under /api/aks-baseline. Every route but /health requires a
 * user or service token; starting an evaluation also requires the
 * evaluation-run permission. Every read answers with what the caller may
 * see (access/FindingsAccess.ts): an entity or a cluster they may not see
 * is answered exactly as one that does not exist. Findings are paged
 * (findingsQuery.ts), and every answer is bounded. The answers are built by
 * the service layer (service/answers/); this file routes and checks access.
 * Errors are thrown as @backstage/errors types and rendered by the backend
 * as Backstage's error body.
 */
import express from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterDetailResponse,
  ClustersResponse,
  EntityHistoryResponse,
  HealthResponse,
  RuleInfo,
  RulesResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { AksBaselineStore } from '../service/AksBaselineStore';
import { sendEncoded } from '../service/answers/encoding';
import {
  entityScoreAnswer,
  limitToClusters,
  visibleClustersOf,
} from '../service/answers/entityScore';
import { overviewAnswer, publicCluster } from '../service/answers/overview';
import { FindingsAccess, FindingsScope } from './access/FindingsAccess';
import { AccessCacheOptions } from './access/AccessCache';
import { requestAccess } from './access/requestAccess';
import { Slots } from './slots';
import {
  findingsPageRequest,
  limitParam,
  pageJson,
  sendPage,
} from './findingsQuery';
import { addEvaluationRoutes, EvaluationTriggers } from './evaluationRoutes';
import { addUpgradeReadinessRoutes } from './upgradeReadinessRoutes';
import { addExportRoutes } from './exportRoutes';
import { addRuleEntitiesRoute } from './ruleEntitiesRoute';
import { addPassedRoutes } from './passedRoutes';
import { addPolicyReportsRoutes } from './policyReportsRoutes';
import type { PolicyReportsRepository } from '../database/PolicyReportsRepository';
import { entityRefParam } from './params';
import { addRollupRoutes } from './rollupRoutes';

export type { EvaluationTriggers };

/** Findings pages a replica builds at once. */
const PAGES_AT_ONCE = 2;

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
  /** Other tools' Policy Reports, when the backend reads them. */
  policyReports?: PolicyReportsRepository;
}

/** The clusters of a scope, for the store's `only` (undefined: every one). */
function clustersOf(scope: FindingsScope): ReadonlySet<string> | undefined {
  return scope.all ? undefined : scope.clusters;
}

/** `owner` as an entity ref (a group by default), or undefined. */
const ownerParam = (value: unknown) => entityRefParam(value, 'owner', 'group');

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, httpAuth } = options;
  const rulesById = new Map(options.rules.map(r => [r.id, r]));
  const router = Router();

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

  const { scopeOf, mayShowEntity, mayShowCluster } = requestAccess(
    new FindingsAccess({
      permissions: options.permissions,
      catalog: options.catalog,
      logger: options.logger,
      cache: options.accessCache,
    }),
    httpAuth,
  );

  router.get('/clusters', async (req, res) => {
    const scope = await scopeOf(req);
    const clusters = await store.listClusters({ only: clustersOf(scope) });
    const body: ClustersResponse = { items: clusters.map(publicCluster) };
    res.json(body);
  });

  router.get('/clusters/:name', async (req, res) => {
    for (const name of Object.keys(req.query)) {
      throw new InputError(
        `Unknown query parameter ${name}: the findings are paged by /clusters/:name/findings`,
      );
    }
    const name = req.params.name;
    // 404 for a cluster that is not there or that the caller may not see.
    const cluster = (await mayShowCluster(req)(name))
      ? await store.getCluster(name)
      : undefined;
    if (!cluster) throw new NotFoundError(`No cluster named ${name}`);
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

  router.get('/entities/:namespace/:kind/:name/score', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const answer = await entityScoreAnswer(store, entityRef, {
      entity: await mayShowEntity(req, entityRef),
      cluster: mayShowCluster(req),
    });
    await sendEncoded(req, res, answer);
  });

  router.get('/entities/:namespace/:kind/:name/history', async (req, res) => {
    const limit = limitParam(req.query.limit, 100, 1000);
    const entityRef = entityRefOf(req.params);
    const body: EntityHistoryResponse = { items: [] };
    if (await mayShowEntity(req, entityRef)) {
      const only = await visibleClustersOf(
        store,
        entityRef,
        mayShowCluster(req),
      );
      body.items = (await store.getEntityHistory(entityRef, limit)).filter(
        point => !only || only.has(point.cluster),
      );
    }
    res.json(body);
  });

  router.get('/entities/:namespace/:kind/:name/findings', async (req, res) => {
    const request = findingsPageRequest(req.query, rulesById, {
      entity: true,
    });
    const entityRef = entityRefOf(req.params);
    // Not visible (or only on clusters the caller may not see): the answer
    // of an entity without findings.
    const visible =
      (await mayShowEntity(req, entityRef)) &&
      limitToClusters(
        request,
        await visibleClustersOf(store, entityRef, mayShowCluster(req)),
      );
    sendPage(
      res,
      visible
        ? await pages.run(async () =>
            pageJson(await store.entityFindingsPage(entityRef, visible)),
          )
        : pageJson({ bodies: [], ...(request.withTotal ? { total: 0 } : {}) }),
    );
  });

  router.get('/overview', async (req, res) => {
    const owner = ownerParam(req.query.owner);
    const scope = await scopeOf(req);
    const [clusters, entities] = await Promise.all([
      store.listClusters({ only: clustersOf(scope) }),
      store.listEntities({
        ...(owner ? { owner } : {}),
        ...(scope.all ? {} : { only: scope.entities }),
      }),
    ]);
    res.json(
      overviewAnswer(clusters, entities, rulesById, {
        ...(owner ? { owner } : {}),
        ...(scope.all ? {} : { visibleClusters: scope.clusters }),
      }),
    );
  });

  addEvaluationRoutes(router, { ...options, scopeOf });
  addUpgradeReadinessRoutes(router, { store, mayShowCluster });
  addExportRoutes(router, { store, rulesById, mayShowCluster, mayShowEntity });
  addRuleEntitiesRoute(router, { store, rulesById, scopeOf });
  addPassedRoutes(router, {
    store,
    rulesById,
    mayShowCluster,
    mayShowEntity,
  });
  addRollupRoutes(router, { store, scopeOf, mayShowCluster });
  addPolicyReportsRoutes(router, {
    store,
    reports: options.policyReports,
    mayShowCluster,
    mayShowEntity,
  });

  return router;
}
