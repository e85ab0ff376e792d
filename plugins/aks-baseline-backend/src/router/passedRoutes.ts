/*
 * GET /clusters/:name/passed and GET /entities/:namespace/:kind/:name/passed:
 * the checks that passed, by cluster and category, from the stored results'
 * tallies (the audit export's "passed" rows come from the same counts); an
 * entity's also by rule, with the objects each passed on, as its parts keep
 * them (entities/passes.ts).
 * Access is the findings routes': a cluster or an entity the caller may not
 * see is not there, and an entity's clusters they may not see are left out.
 */
import express from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CATEGORIES,
  CategoryScore,
  PassedChecks,
  PassedChecksResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import { passedRulesOf } from './passedRules';
import { visibleClustersOf } from '../service/answers/entityScore';
import type { FindingsAccessOptions } from './findingsAccessOptions';

function noQuery(query: Record<string, unknown>): void {
  for (const name of Object.keys(query)) {
    throw new InputError(`Unknown query parameter ${name}`);
  }
}

/** One cluster's categories with passes, in the baseline's order. */
function passesOf(
  cluster: string,
  categories: readonly CategoryScore[],
): PassedChecks[] {
  return categories
    .filter(c => c.passed > 0)
    .sort(
      (a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category),
    )
    .map(c => ({ cluster, category: c.category, passed: c.passed }));
}

function answer(items: PassedChecks[]): PassedChecksResponse {
  return { items, total: items.reduce((n, i) => n + i.passed, 0) };
}

export function addPassedRoutes(
  router: express.Router,
  options: FindingsAccessOptions,
): void {
  const { store } = options;

  router.get('/clusters/:name/passed', async (req, res) => {
    noQuery(req.query);
    const name = req.params.name;
    const cluster = (await options.mayShowCluster(req)(name))
      ? await store.getCluster(name)
      : undefined;
    if (!cluster) throw new NotFoundError(`No cluster named ${name}`);
    res.json(answer(passesOf(name, cluster.categories ?? [])));
  });

  router.get('/entities/:namespace/:kind/:name/passed', async (req, res) => {
    noQuery(req.query);
    const entityRef = stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });
    // Not visible: the answer of an entity without results, as for findings.
    const stored = (await options.mayShowEntity(req, entityRef))
      ? await store.getEntity(entityRef)
      : undefined;
    if (!stored) {
      res.json(answer([]));
      return;
    }
    const visible = await visibleClustersOf(
      store,
      entityRef,
      options.mayShowCluster(req),
    );
    const shown = (cluster: string) => !visible || visible.has(cluster);
    const body = answer(
      stored.clusters
        .filter(p => shown(p.cluster))
        .sort((a, b) => a.cluster.localeCompare(b.cluster))
        .flatMap(p => passesOf(p.cluster, p.summary.categories)),
    );
    const passes = (await store.getEntityPasses(entityRef)).filter(p =>
      shown(p.cluster),
    );
    res.json({ ...body, ...passedRulesOf(passes, options.rulesById) });
  });
}
