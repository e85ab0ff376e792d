/*
 * A platform team's own rule, on a custom resource the built-in catalog does
 * not know: Flux's HelmRelease (the AKS GitOps extension is Flux v2).
 */
import {
  fail,
  PASS,
  unknown,
  type CustomKind,
  type ObjectRule,
} from '@aks-baseline/plugin-aks-baseline-node';

/** Where the API serves HelmReleases: readers keep them, live sources list them. */
export const HELM_RELEASE: CustomKind = {
  kind: 'HelmRelease',
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
};

/** `1.4.2`, `v1.4.2`, `2.0.0-rc.1`: one version, not a range. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const EXPECTED = 'an exact chart version, e.g. 6.7.1';

export const helmReleaseChartPinned: ObjectRule = {
  id: 'flux-helmrelease-chart-pinned',
  baselineRef: 'GO-01',
  category: 'operations',
  severity: 'medium',
  title: 'Flux HelmReleases pin their chart version',
  rationale:
    'A HelmRelease without an exact chart version (none means *, or a range such as >=1.0.0 or 6.x) upgrades whenever the chart repository publishes a release: the cluster changes without a commit, and a rollback has no version to go back to.',
  remediation: {
    summary:
      'Set spec.chart.spec.version to an exact version and raise it in a reviewed commit.',
    snippet: [
      'spec:',
      '  chart:',
      '    spec:',
      '      chart: podinfo',
      '      version: 6.7.1',
    ].join('\n'),
  },
  scope: 'object',
  source: 'kubernetes',
  appliesTo: {
    kinds: [HELM_RELEASE],
    // A chart taken from spec.chartRef (an OCIRepository or HelmChart) is
    // pinned in that object, not here.
    when: release => release.spec?.chartRef === undefined,
  },
  check: release => {
    const name = release.metadata.name;
    const chart = release.spec?.chart?.spec;
    if (typeof chart !== 'object' || chart === null) {
      // Neither a chart nor a chartRef: not a HelmRelease Flux would apply.
      return unknown(
        `HelmRelease ${name} has neither spec.chart.spec nor spec.chartRef`,
        [{ path: 'spec.chart.spec', value: chart }],
      );
    }
    const version: unknown = chart.version;
    if (typeof version === 'string' && EXACT_VERSION.test(version.trim())) {
      return PASS;
    }
    const found =
      version === undefined
        ? 'names no chart version, so Flux installs the newest (*)'
        : `asks for chart version ${JSON.stringify(version)}, a range`;
    return fail(`HelmRelease ${name} ${found}`, [
      { path: 'spec.chart.spec.version', value: version, expected: EXPECTED },
    ]);
  },
};
