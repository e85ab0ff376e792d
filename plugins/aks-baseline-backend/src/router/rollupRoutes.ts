/*
 * Rollups for the Group and System cards and the cluster tab's trend:
 *
 * - GET /rollup?owner=<ref>: a team's entities (the owner the store keeps
 *   per entity, as the overview's owner rows); GET /rollup?entity=<ref,...>:
 *   the entities named (a system's parts, read from the catalog by the
 *   card). Both over what the caller may see (scopeOf), taken together as
 *   the overview pools an owner's checks: not the mean of their scores.
 * - GET /clusters/:name/history: the cluster's score over recent runs
 *   (404 for a cluster the caller may not see, like the other cluster routes).
 */
import type { Request, Router } from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  EntityHistoryResponse,
  ROLLUP_ENTITIES_MAX,
  RollupResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { AksBaselineStore } from '../service/AksBaselineStore';
import {
  compareScoreAscending,
  toEntitySummary,
} from '../service/answers/overview';
import {
  addFindingCounts,
  combineSummaries,
  emptyFindingCounts,
} from '../scoring';
import type { FindingsScope } from './access/FindingsAccess';
import { limitParam, listParam } from './findingsQuery';
import { entityRefParam, parseRef } from './params';

export interface RollupRoutesOptions {
  store: AksBaselineStore;
  scopeOf(req: Request): Promise<FindingsScope>;
  mayShowCluster(req: Request): (cluster: string) => Promise<boolean>;
}

/** `only` of the store's list: the refs asked for that the caller may see. */
function visibleRefs(
  asked: readonly string[] | undefined,
  scope: FindingsScope,
): ReadonlySet<string> | undefined {
  if (!asked) return scope.all ? undefined : scope.entities;
  return new Set(scope.all ? asked : asked.filter(r => scope.entities.has(r)));
}

export function addRollupRoutes(router: Router, options: RollupRoutesOptions) {
  const { store, scopeOf, mayShowCluster } = options;

  router.get('/rollup', async (req, res) => {
    const owner = entityRefParam(req.query.owner, 'owner', 'group');
    const asked = listParam(req.query.entity, 'entity')?.map(ref =>
      parseRef(ref, 'entity'),
    );
    if (!owner === !asked) {
      throw new InputError('Give either owner or entity');
    }
    const scope = await scopeOf(req);
    const only = visibleRefs(asked, scope);
    const entities = (
      await store.listEntities({
        ...(owner ? { owner } : {}),
        ...(only ? { only } : {}),
      })
    ).filter(e => e.resourceCount > 0);
    const summary = combineSummaries(entities.map(e => e.summary));
    const counts = emptyFindingCounts();
    for (const e of entities) addFindingCounts(counts, e.counts);
    const visibleClusters = scope.all ? undefined : scope.clusters;
    const body: RollupResponse = {
      score: summary.score,
      grade: summary.grade,
      categories: summary.categories,
      totals: summary.totals,
      counts,
      entities: entities
        .map(e => toEntitySummary(e, visibleClusters))
        .sort(
          (a, b) =>
            compareScoreAscending(a, b) ||
            a.entityRef.localeCompare(b.entityRef),
        )
        .slice(0, ROLLUP_ENTITIES_MAX),
      entityTotal: entities.length,
      stale: entities.some(e => e.stale),
    };
    if (owner) body.owner = owner;
    res.json(body);
  });

  router.get('/clusters/:name/history', async (req, res) => {
    const limit = limitParam(req.query.limit, 100, 1000);
    const name = req.params.name;
    if (
      !(await mayShowCluster(req)(name)) ||
      !(await store.clusterExists(name))
    ) {
      throw new NotFoundError(`No cluster named ${name}`);
    }
    const body: EntityHistoryResponse = {
      items: await store.getClusterHistory(name, limit),
    };
    res.json(body);
  });
}
