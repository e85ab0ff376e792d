/*
 * The Policy Reports routes over the real plugin (snapshot clusters holding
 * Kyverno reports, aksBaseline.policyReports.enabled): an entity gets the
 * results about its own objects, a cluster Resource all of its cluster's,
 * and a caller sees only the clusters whose findings they may read, exactly
 * as for the baseline's findings.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PolicyReportsResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { DEV, PROD } from '../__testUtils__/testBackend';
import { DEVELOPER, evaluatedTeamBackend } from '../__testUtils__/teamAccess';

jest.setTimeout(120_000);

/** Kyverno's report on one Deployment (1.11+: one report per object). */
function kyvernoReport(
  namespace: string,
  name: string,
  results: Array<{ policy: string; result: string; severity: string }>,
) {
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: {
      name: `0f${name.length}e1d2c-3b4a-4596-8877-${name.length}65544332211`,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
    },
    scope: { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace },
    results: results.map(r => ({
      ...r,
      category: 'Best Practices',
      message: `validation error: ${r.policy}`,
      rule: `autogen-${r.policy}`,
      scored: true,
      source: 'kyverno',
      timestamp: { nanos: 0, seconds: 1796026361 },
    })),
  };
}

function writeReports(dir: string, reports: unknown[]) {
  fs.writeFileSync(
    path.join(dir, 'kyverno-policyreports.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: reports }),
  );
}

describe('GET …/policy-reports', () => {
  const { get } = evaluatedTeamBackend({
    config: { policyReports: { enabled: true } },
    beforeEvaluation: backend => {
      writeReports(backend.clusterDir(DEV), [
        kyvernoReport('payments', 'checkout-api', [
          { policy: 'disallow-latest-tag', result: 'fail', severity: 'medium' },
          { policy: 'require-labels', result: 'pass', severity: 'low' },
        ]),
        kyvernoReport('storefront', 'catalog-search', [
          {
            policy: 'require-run-as-nonroot',
            result: 'fail',
            severity: 'high',
          },
        ]),
      ]);
      writeReports(backend.clusterDir(PROD), [
        kyvernoReport('payments', 'checkout-api', [
          {
            policy: 'restrict-image-registries',
            result: 'warn',
            severity: 'low',
          },
        ]),
      ]);
    },
  });

  const summary = (body: PolicyReportsResponse) =>
    body.clusters.map(c => ({
      cluster: c.cluster,
      status: c.status,
      counts: c.counts,
      results: c.results.map(
        r =>
          `${r.source} ${r.result} ${r.severity} ${r.policy} ${r.resource?.namespace}/${r.resource?.name}`,
      ),
    }));

  it('gives an entity the results about its own objects, on every cluster it runs on', async () => {
    const res = await get(
      '/entities/default/component/checkout-api/policy-reports',
    );
    expect(res.status).toBe(200);
    expect(res.body.enabled).toBe(true);
    expect(summary(res.body)).toEqual([
      {
        cluster: DEV,
        status: 'read',
        counts: { pass: 1, fail: 1, warn: 0, error: 0, skip: 0 },
        results: [
          'kyverno fail medium disallow-latest-tag payments/checkout-api',
        ],
      },
      {
        cluster: PROD,
        status: 'read',
        counts: { pass: 0, fail: 0, warn: 1, error: 0, skip: 0 },
        results: [
          'kyverno warn low restrict-image-registries payments/checkout-api',
        ],
      },
    ]);
  });

  it("gives a cluster's Resource and the cluster route every result of the cluster", async () => {
    const resource = await get(
      `/entities/default/resource/${DEV}/policy-reports`,
    );
    const cluster = await get(`/clusters/${DEV}/policy-reports`);
    for (const res of [resource, cluster]) {
      expect(res.status).toBe(200);
      expect(summary(res.body)[0].results).toEqual([
        'kyverno fail high require-run-as-nonroot storefront/catalog-search',
        'kyverno fail medium disallow-latest-tag payments/checkout-api',
      ]);
    }
  });

  it('shows only the clusters the caller may see, as the findings routes do', async () => {
    const entity = await get(
      '/entities/default/component/checkout-api/policy-reports',
      DEVELOPER,
    );
    expect(entity.status).toBe(200);
    expect(entity.body.clusters.map((c: any) => c.cluster)).toEqual([DEV]);
    expect(entity.text).not.toContain(PROD);
    expect(
      (await get(`/clusters/${PROD}/policy-reports`, DEVELOPER)).status,
    ).toBe(404);
    expect(
      (await get(`/clusters/${DEV}/policy-reports`, DEVELOPER)).status,
    ).toBe(200);
    // An entity they may not see answers no reports.
    const hidden = await get(
      '/entities/default/component/catalog-search/policy-reports',
      DEVELOPER,
    );
    expect(hidden.body).toEqual({ enabled: true, clusters: [] });
  });

  it("keeps the reports out of the baseline's findings", async () => {
    const findings = await get(`/clusters/${DEV}/findings?limit=500`);
    expect(findings.status).toBe(200);
    expect(findings.text).not.toMatch(/PolicyReport|kyverno/);
  });
});
