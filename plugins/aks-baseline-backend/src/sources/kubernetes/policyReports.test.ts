/*
 * Policy Reports read through the Kubernetes source (a fake API server with
 * msw, `kubectl get policyreports -A -o json` objects as Kyverno writes
 * them): read once cluster-wide, "not installed" when the CRDs are absent,
 * and a 403 reported as not read, never as "no reports". The snapshot the
 * baseline evaluates is the same as without them.
 */
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import storefront from '../__fixtures__/kubernetes/compliant-shop-storefront.json';
import legacyWeb from '../__fixtures__/kubernetes/noncompliant-legacy-web.json';
import policyReports from '../__fixtures__/kubernetes/kyverno-policyreports.json';
import clusterPolicyReports from '../__fixtures__/kubernetes/kyverno-clusterpolicyreports.json';
import {
  fakeKubernetesApi,
  objectsOf,
  statusResponse,
} from '../__testUtils__/fakeKubernetes';
import { CATALOG_KINDS, only, sourcesFor } from '../__testUtils__/helpers';
import { fakeJwt } from '../__testUtils__/fakeAzure';
import {
  POLICY_REPORT_KINDS,
  splitPolicyReports,
  withPolicyReportKinds,
} from '../policyReports';

const server = setupServer();
registerMswTestHooks(server);

const URL_BASE = 'https://aks-shop-dns-4f2a9c1e.hcp.westeurope.azmk8s.io';
const TOKEN = fakeJwt('kubernetes-service-account');
const WORKLOADS = objectsOf(storefront, legacyWeb);
const REPORTS = objectsOf(policyReports, clusterPolicyReports);
const REPORT_CRDS = [
  'policyreports.wgpolicyk8s.io',
  'clusterpolicyreports.wgpolicyk8s.io',
];

const CONFIG = {
  aksBaseline: {
    clusters: [
      {
        name: 'aks-shop',
        kubernetes: {
          url: `${URL_BASE}:443`,
          serviceAccountToken: TOKEN,
          skipTLSVerify: true,
        },
      },
    ],
  },
};

async function readWith(options: {
  crds?: string[];
  override?: Parameters<typeof fakeKubernetesApi>[0]['override'];
  kinds?: typeof CATALOG_KINDS;
}) {
  const fake = fakeKubernetesApi({
    baseUrl: URL_BASE,
    objects: [...WORKLOADS, ...REPORTS],
    crds: options.crds ?? REPORT_CRDS,
    customKinds: POLICY_REPORT_KINDS,
    token: TOKEN,
    override: options.override,
  });
  server.use(...fake.handlers);
  const { sources, logger } = sourcesFor(CONFIG);
  const snapshot = await only(sources, 'aks-shop').read({
    signal: new AbortController().signal,
    logger,
    kinds: options.kinds ?? withPolicyReportKinds(CATALOG_KINDS),
  });
  return { snapshot, requests: fake.requests };
}

const paths = (requests: { url: URL }[]) => requests.map(r => r.url.pathname);

describe('Policy Reports through the Kubernetes source', () => {
  it("reads every report once, cluster-wide, as results labelled with their tool, and leaves the baseline's snapshot as it was", async () => {
    const { snapshot, requests } = await readWith({});
    const { snapshot: evaluated, policyReports: read } =
      splitPolicyReports(snapshot);

    expect(read.status).toBe('read');
    expect(
      read.results
        .map(
          r =>
            `${r.source} ${r.result} ${r.severity} ${r.policy}/${r.rule} ${
              r.resource?.kind
            } ${r.resource?.namespace ?? '-'}/${r.resource?.name} (${
              r.report.kind
            })`,
        )
        .sort(),
    ).toEqual([
      'kyverno fail high require-ns-owner-label/check-owner-label Namespace -/legacy (ClusterPolicyReport)',
      'kyverno fail medium disallow-latest-tag/autogen-validate-image-tag Deployment legacy/legacy-web (PolicyReport)',
      'kyverno fail medium require-run-as-nonroot/autogen-run-as-non-root Deployment legacy/legacy-web (PolicyReport)',
      'kyverno pass medium disallow-host-namespaces/autogen-host-namespaces Deployment legacy/legacy-web (PolicyReport)',
      'kyverno pass medium require-run-as-nonroot/autogen-run-as-non-root Deployment shop/storefront (PolicyReport)',
      'kyverno warn low require-labels/autogen-check-for-labels Deployment shop/storefront (PolicyReport)',
    ]);
    const nonRoot = read.results.find(
      r => r.result === 'fail' && r.policy === 'require-run-as-nonroot',
    )!;
    expect(nonRoot.category).toBe('Pod Security Standards (Restricted)');
    expect(nonRoot.message).toMatch(/^validation error: Running as root/);
    expect(nonRoot.timestamp).toBe('2026-11-30T08:12:41.000Z');

    // Each kind listed once across all namespaces, never per namespace.
    const listed = paths(requests).filter(p => p.includes('wgpolicyk8s.io'));
    expect(listed).toEqual(
      expect.arrayContaining([
        '/apis/wgpolicyk8s.io/v1alpha2/policyreports',
        '/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports',
      ]),
    );
    expect(listed).toHaveLength(2);

    // The baseline sees exactly what it sees without the reports.
    const { snapshot: without } = await readWith({ kinds: CATALOG_KINDS });
    expect(evaluated.objects).toEqual(without.objects);
    expect(evaluated.coverage).toEqual(without.coverage);
    expect(evaluated.ignoredKinds).toEqual(without.ignoredKinds);
    expect(evaluated.customKinds).toEqual(without.customKinds);
  });

  it('answers "not installed" when the CRDs are absent, without listing them', async () => {
    const { snapshot, requests } = await readWith({ crds: [] });
    const { snapshot: evaluated, policyReports: read } =
      splitPolicyReports(snapshot);
    expect(read).toEqual({ status: 'not-installed', results: [] });
    expect(paths(requests).some(p => p.includes('wgpolicyk8s.io'))).toBe(false);
    expect(evaluated.coverage.absentKinds).not.toContain('PolicyReport');
  });

  it('asks discovery when CRDs may not be listed: a 404 there means none', async () => {
    const { snapshot, requests } = await readWith({
      crds: [],
      override: (_request, url) =>
        url.pathname.endsWith('/customresourcedefinitions')
          ? statusResponse(
              403,
              'Forbidden',
              'customresourcedefinitions is forbidden',
            )
          : undefined,
    });
    expect(splitPolicyReports(snapshot).policyReports.status).toBe(
      'not-installed',
    );
    expect(paths(requests)).toContain('/apis/wgpolicyk8s.io/v1alpha2');
  });

  it('reports a 403 as not read, never as "no reports", and the evaluation goes on', async () => {
    const { snapshot } = await readWith({
      override: (_request, url) =>
        url.pathname === '/apis/wgpolicyk8s.io/v1alpha2/policyreports'
          ? statusResponse(
              403,
              'Forbidden',
              'policyreports.wgpolicyk8s.io is forbidden: User "system:serviceaccount:backstage:aks-baseline-reader" cannot list resource "policyreports" in API group "wgpolicyk8s.io" at the cluster scope',
            )
          : undefined,
    });
    const { snapshot: evaluated, policyReports: read } =
      splitPolicyReports(snapshot);
    expect(read.status).toBe('unreadable');
    expect(read.results).toEqual([]);
    expect(read.reason).toMatch(/^PolicyReport: forbidden \(403\)/);
    expect(read.reason).toContain('policyreports.wgpolicyk8s.io');
    // Not one of the baseline's unreadable kinds.
    expect(evaluated.coverage.unreadable).toEqual({});
    expect(evaluated.objects.some(o => o.kind === 'Deployment')).toBe(true);
  });
});
