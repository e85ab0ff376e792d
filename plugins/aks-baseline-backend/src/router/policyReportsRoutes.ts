/*
 * GET /clusters/:name/policy-reports and
 * GET /entities/:namespace/:kind/:name/policy-reports: the Policy Reports
 * other tools left in the clusters (PolicyReportsRepository), read with the
 * same access as the baseline's findings: a cluster the caller may not see
 * is a 404, an entity they may not see (or its clusters they may not see)
 * answers no reports. An entity's results are those about its objects; a
 * cluster Resource's (its objects include the managed cluster) are all of
 * its cluster's.
 */
import express from 'express';
import { NotFoundError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ClusterPolicyReports,
  PolicyReportsResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { PolicyReportsRepository } from '../database/PolicyReportsRepository';
import type { FindingsAccessOptions } from './findingsAccessOptions';

export interface PolicyReportsRoutesOptions
  extends Omit<FindingsAccessOptions, 'rulesById'> {
  /** Undefined when the backend does not read Policy Reports. */
  reports?: PolicyReportsRepository;
}

export function addPolicyReportsRoutes(
  router: express.Router,
  options: PolicyReportsRoutesOptions,
): void {
  const { store, reports } = options;

  router.get('/clusters/:name/policy-reports', async (req, res) => {
    const name = req.params.name;
    if (
      !(await options.mayShowCluster(req)(name)) ||
      !(await store.clusterExists(name))
    ) {
      throw new NotFoundError(`No cluster named ${name}`);
    }
    const found = reports ? await reports.forCluster(name) : undefined;
    const body: PolicyReportsResponse = {
      enabled: Boolean(reports),
      clusters: found ? [found] : [],
    };
    res.json(body);
  });

  router.get(
    '/entities/:namespace/:kind/:name/policy-reports',
    async (req, res) => {
      const entityRef = stringifyEntityRef({
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      });
      const body: PolicyReportsResponse = {
        enabled: Boolean(reports),
        clusters: [],
      };
      if (reports && (await options.mayShowEntity(req, entityRef))) {
        const parts = (await store.getEntity(entityRef))?.clusters ?? [];
        const mayShow = options.mayShowCluster(req);
        for (const part of parts) {
          if (!(await mayShow(part.cluster))) continue;
          const wholeCluster = part.resources.some(
            r => r.kind === 'ManagedCluster',
          );
          const found: ClusterPolicyReports | undefined = wholeCluster
            ? await reports.forCluster(part.cluster)
            : await reports.forResources(part.cluster, part.resources);
          if (found) body.clusters.push(found);
        }
      }
      res.json(body);
    },
  );
}
