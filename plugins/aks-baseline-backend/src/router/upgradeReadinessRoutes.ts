/*
 * GET /clusters/:name/upgrade-readiness: can the cluster move to the next
 * minor now (AX-14)? Answered from the stored findings of the rules that
 * judge it (upgradeReadiness in -node): the blockers, the blocking checks
 * that could not decide, and the advisories, each a finding as the
 * findings routes give it. "no-blocker-found" is not "ready": a rule that
 * did not run (no managed cluster read) leaves no finding either, so the
 * answer names the cluster's source and when it was evaluated.
 */
import express from 'express';
import { NotFoundError } from '@backstage/errors';
import {
  Finding,
  FINDINGS_PAGE_MAX_BYTES,
  FINDINGS_PAGE_MAX_LIMIT,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  upgradeReadiness,
  UPGRADE_READINESS_RULES,
  type UpgradeReadiness,
} from '@aks-baseline/plugin-aks-baseline-node';
import type { AksBaselineStore } from '../service/AksBaselineStore';

/** The answer of GET /clusters/:name/upgrade-readiness. */
export interface UpgradeReadinessResponse extends UpgradeReadiness {
  cluster: string;
  /** The cluster source (`azure` reads the managed cluster; others may not). */
  sourceKind: string;
  /** When the findings were computed; absent before a first success. */
  evaluatedAt?: string;
  /** The rules read, blocking first. */
  rules: readonly string[];
}

/** Pages read at most: readiness findings are few (pools, budgets, manifests). */
const MAX_PAGES = 20;

async function readinessFindings(
  store: AksBaselineStore,
  cluster: string,
): Promise<Finding[]> {
  const out: Finding[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await store.clusterFindingsPage(cluster, {
      filters: { rule: UPGRADE_READINESS_RULES },
      limit: FINDINGS_PAGE_MAX_LIMIT,
      maxBytes: FINDINGS_PAGE_MAX_BYTES,
      ...(after ? { after } : {}),
    });
    for (const body of result.bodies) out.push(JSON.parse(body) as Finding);
    if (!result.next) return out;
    after = result.next;
  }
  // Never answer from a part of the findings.
  throw new Error(
    `more than ${MAX_PAGES} pages of upgrade readiness findings on ${cluster}`,
  );
}

export function addUpgradeReadinessRoutes(
  router: express.Router,
  options: {
    store: AksBaselineStore;
    mayShowCluster: (
      req: express.Request,
    ) => (cluster: string) => Promise<boolean>;
  },
): void {
  const { store } = options;
  router.get('/clusters/:name/upgrade-readiness', async (req, res) => {
    const name = req.params.name;
    const cluster = (await options.mayShowCluster(req)(name))
      ? await store.getCluster(name)
      : undefined;
    if (!cluster) throw new NotFoundError(`No cluster named ${name}`);
    const base = {
      cluster: name,
      sourceKind: cluster.sourceKind,
      rules: UPGRADE_READINESS_RULES,
    };
    if (!cluster.evaluatedAt) {
      // Nothing was judged yet: unknown, with nothing to show.
      const body: UpgradeReadinessResponse = {
        ...base,
        status: 'unknown',
        blockers: [],
        unknowns: [],
        advisories: [],
      };
      res.json(body);
      return;
    }
    const body: UpgradeReadinessResponse = {
      ...base,
      evaluatedAt: cluster.evaluatedAt,
      ...upgradeReadiness(await readinessFindings(store, name)),
    };
    res.json(body);
  });
}
