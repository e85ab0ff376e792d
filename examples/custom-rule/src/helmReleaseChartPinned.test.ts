import {
  checkRuleSet,
  kindsToRead,
  readSnapshot,
  RULE_CATALOG,
} from '@aks-baseline/plugin-aks-baseline-node';
import {
  evaluateRule,
  evaluateRuleDetailed,
  kubeObject,
  makeSnapshot,
  outcomeFor,
} from '@aks-baseline/plugin-aks-baseline-node/testUtils';
import { helmReleaseChartPinned } from './helmReleaseChartPinned';
import { rules } from './rules';

/** A HelmRelease as `kubectl get helmrelease -o json` prints it. */
function helmRelease(
  name: string,
  namespace: string,
  spec: Record<string, unknown>,
  apiVersion = 'helm.toolkit.fluxcd.io/v2',
) {
  return kubeObject(
    'HelmRelease',
    name,
    namespace,
    { interval: '10m', ...spec },
    { apiVersion },
  );
}

const chart = (version?: string) => ({
  chart: {
    spec: {
      chart: 'podinfo',
      ...(version === undefined ? {} : { version }),
      sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
    },
  },
});

const kinds = kindsToRead(rules);

function outcomes(...objects: ReturnType<typeof helmRelease>[]) {
  return evaluateRule(
    helmReleaseChartPinned,
    makeSnapshot({ objects: [...objects], kinds }),
  );
}

describe('flux-helmrelease-chart-pinned', () => {
  it('passes an exact chart version', () => {
    const results = outcomes(
      helmRelease('web', 'shop', chart('6.7.1')),
      helmRelease('cache', 'shop', chart('v18.19.2')),
      helmRelease('next', 'shop', chart('2.0.0-rc.1')),
    );
    expect(results.map(o => [o.ref.name, o.status])).toEqual([
      ['web', 'pass'],
      ['cache', 'pass'],
      ['next', 'pass'],
    ]);
  });

  it('fails a missing version and a range, with the evidence', () => {
    const results = outcomes(
      helmRelease('latest', 'shop', chart()),
      helmRelease('range', 'shop', chart('>=6.0.0')),
      helmRelease('minor', 'shop', chart('6.x')),
      helmRelease('star', 'shop', chart('*')),
    );
    expect(outcomeFor(results, 'latest', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'HelmRelease latest names no chart version, so Flux installs the newest (*)',
      evidence: [{ path: 'spec.chart.spec.version', value: undefined }],
    });
    expect(outcomeFor(results, 'range', 'shop')).toMatchObject({
      status: 'fail',
      message: 'HelmRelease range asks for chart version ">=6.0.0", a range',
      evidence: [{ path: 'spec.chart.spec.version', value: '>=6.0.0' }],
    });
    expect(outcomeFor(results, 'minor', 'shop').status).toBe('fail');
    expect(outcomeFor(results, 'star', 'shop').status).toBe('fail');
  });

  it('leaves a chart from chartRef alone and cannot judge one without a chart', () => {
    const results = outcomes(
      helmRelease('oci', 'shop', {
        chartRef: { kind: 'OCIRepository', name: 'podinfo' },
      }),
      helmRelease('broken', 'shop', {}),
    );
    expect(outcomeFor(results, 'oci', 'shop').status).toBe('not-applicable');
    expect(outcomeFor(results, 'broken', 'shop')).toMatchObject({
      status: 'unknown',
      message:
        'HelmRelease broken has neither spec.chart.spec nor spec.chartRef',
    });
  });

  it('reads HelmReleases of Flux’s group in any version, and no other group’s', () => {
    // As the readers keep them (what a source or the CLI hands the engine).
    const snapshot = readSnapshot({
      name: 'manifests',
      mode: 'manifests',
      kinds,
      kubernetes: [
        {
          file: 'releases.yaml',
          value: [
            helmRelease(
              'beta',
              'shop',
              chart(),
              'helm.toolkit.fluxcd.io/v2beta2',
            ),
            helmRelease('other', 'shop', chart(), 'helm.example.com/v1'),
          ],
        },
      ],
    });
    expect(snapshot.ignoredKinds).toEqual({
      'HelmRelease (helm.example.com/v1)': 1,
    });
    const results = evaluateRule(helmReleaseChartPinned, snapshot);
    expect(results.map(o => [o.ref.name, o.status])).toEqual([
      ['beta', 'fail'],
    ]);
  });

  it('skips the system namespaces, flux-system among them', () => {
    expect(
      outcomes(helmRelease('infra', 'flux-system', chart())).map(
        o => o.ref.name,
      ),
    ).toEqual([]);
  });

  it('is unknown, never passed, when HelmReleases could not be listed', () => {
    const result = evaluateRuleDetailed(
      helmReleaseChartPinned,
      makeSnapshot({
        kinds,
        coverage: {
          unreadable: { HelmRelease: 'Kubernetes API returned 403 Forbidden' },
        },
      }),
    );
    expect(result.outcomes).toEqual([]);
    expect(result.unlistedSubjects).toMatch(/HelmRelease.*403 Forbidden/);
  });

  it('joins the built-in catalog without a clash', () => {
    expect(() => checkRuleSet([...RULE_CATALOG, ...rules])).not.toThrow();
  });
});
