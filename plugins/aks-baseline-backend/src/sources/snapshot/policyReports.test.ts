/*
 * Policy Reports in a snapshot directory (the demo's dev cluster holds
 * Kyverno's, as `kubectl get policyreports -A -o json` prints them): read
 * with the cluster's files, labelled with their tool, and kept out of what
 * the baseline evaluates. A dump whose CRDs lack them reads as not installed.
 */
import * as path from 'path';
import { splitPolicyReports, withPolicyReportKinds } from '../policyReports';
import { CATALOG_KINDS, only, sourcesFor } from '../__testUtils__/helpers';

const EXAMPLES = path.resolve(__dirname, '../../../../../examples/clusters');

async function readDemo(
  cluster: string,
  kinds = withPolicyReportKinds(CATALOG_KINDS),
) {
  const { sources, logger } = sourcesFor({
    aksBaseline: {
      clusters: [
        {
          name: cluster,
          snapshot: { directory: path.join(EXAMPLES, cluster) },
        },
      ],
    },
  });
  return only(sources, cluster).read({
    signal: new AbortController().signal,
    logger,
    kinds,
  });
}

describe('Policy Reports through the snapshot source', () => {
  it("reads the dev cluster's Kyverno reports and leaves the baseline's snapshot as it was", async () => {
    const { snapshot, policyReports } = splitPolicyReports(
      await readDemo('aks-dev-koreacentral'),
    );
    expect(policyReports.status).toBe('read');
    const failing = policyReports.results
      .filter(r => r.result !== 'pass')
      .map(
        r =>
          `${r.source} ${r.result} ${r.severity} ${r.policy} ${r.resource?.kind} ${r.resource?.namespace}/${r.resource?.name}`,
      )
      .sort();
    expect(failing).toEqual([
      'kyverno fail medium disallow-latest-tag Deployment storefront/catalog-search',
      'kyverno fail medium require-requests-limits Deployment payments/payments-worker',
      'kyverno fail medium require-requests-limits Deployment storefront/catalog-search',
      'kyverno fail medium require-run-as-nonroot Deployment payments/payments-worker',
      'kyverno fail medium require-run-as-nonroot Deployment storefront/catalog-search',
      'kyverno warn medium restrict-image-registries Deployment storefront/storefront-web',
    ]);
    expect(policyReports.results).toHaveLength(16);

    const without = await readDemo('aks-dev-koreacentral', CATALOG_KINDS);
    expect(snapshot.objects).toEqual(without.objects);
    expect(snapshot.coverage).toEqual(without.coverage);
    expect(snapshot.customKinds).toEqual(without.customKinds);
    // Without the reports asked for, their objects are only counted as ignored.
    expect(without.ignoredKinds.PolicyReport).toBe(4);
    expect(snapshot.ignoredKinds.PolicyReport).toBeUndefined();
  });

  it('reads a snapshot whose CRDs do not include them as not installed', async () => {
    const { policyReports } = splitPolicyReports(
      await readDemo('aks-prod-westeurope'),
    );
    // The reader knows the dump's CRDs: none of wgpolicyk8s.io.
    expect(policyReports).toEqual({ status: 'not-installed', results: [] });
  });
});
