import reports from '../../__fixtures__/kubernetes/trivy-vulnerabilityreports.json';
import workloads from '../../__fixtures__/kubernetes/trivy-workloads.json';
import {
  deployment,
  evaluateRule,
  evaluateRuleDetailed,
  makeSnapshot,
  outcomeFor,
} from '../../testUtils';
import {
  imageVulnerabilityBudget,
  reportMap,
  trivyOperatorInstalled,
} from './trivy';

const snapshot = makeSnapshot({ objects: [workloads, reports] });

describe('image-vulnerability-budget (IM-04)', () => {
  const result = evaluateRuleDetailed(imageVulnerabilityBudget, snapshot);

  it('is not evaluated on manifests: reports are made in the cluster', () => {
    // Before: every manifest scan got an unknown per workload or namespace.
    const manifests = evaluateRuleDetailed(
      imageVulnerabilityBudget,
      makeSnapshot({ objects: [workloads], coverage: { mode: 'manifests' } }),
    );
    expect(manifests.outcomes).toEqual([]);
    expect(manifests.skipped).toMatch(/Only evaluated on cluster reads/);
  });
  const outcomes = result.outcomes;

  it('maps ReplicaSet reports to their Deployment once per index', () => {
    const map = reportMap(result.index);
    expect(map).toBe(reportMap(result.index));
    const shop = map.get('shop')!;
    expect(
      shop
        .get('Deployment')!
        .get('frontend')!
        .map(r => r.metadata.name),
    ).toEqual(['replicaset-frontend-6b8d9f7c5d-frontend']);
  });

  it('passes clean images, ignoring a scaled-down old revision', () => {
    expect(outcomeFor(outcomes, 'frontend', 'shop').status).toBe('pass');
  });

  it('passes exactly the tolerated number of HIGH (name fallback for the ReplicaSet)', () => {
    expect(outcomeFor(outcomes, 'worker', 'shop').status).toBe('pass');
  });

  it('fails CRITICAL and too many HIGH, per container', () => {
    expect(outcomeFor(outcomes, 'backend', 'shop')).toEqual(
      expect.objectContaining({
        status: 'fail',
        message:
          'Deployment backend: container backend (contoso.azurecr.io/shop/backend:2.4.1) has 2 CRITICAL; container envoy (mcr.microsoft.com/oss/envoyproxy/envoy:v1.31.2) has 12 HIGH',
        evidence: [
          {
            path: 'VulnerabilityReport/replicaset-backend-7d4b5c8f9x-backend.report.summary.criticalCount',
            value: 2,
            expected: '0',
          },
          {
            path: 'VulnerabilityReport/replicaset-backend-7d4b5c8f9x-envoy.report.summary.highCount',
            value: 12,
            expected: 'at most 10',
          },
        ],
      }),
    );
  });

  it('reads the HIGH budget from the parameters', () => {
    const strict = evaluateRule(imageVulnerabilityBudget, snapshot, {
      params: { maxHighVulnerabilities: 12 },
    });
    expect(outcomeFor(strict, 'redis', 'shop').status).toBe('pass');
    expect(outcomeFor(outcomes, 'redis', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'StatefulSet redis: container redis (contoso.azurecr.io/mirror/redis:7.4.1) has 11 HIGH',
    });
  });

  it('is unknown for a workload without a report', () => {
    expect(outcomeFor(outcomes, 'unscanned', 'shop')).toMatchObject({
      status: 'unknown',
      message:
        'No VulnerabilityReport for Deployment unscanned yet: Trivy Operator has not scanned its images',
    });
  });

  it('is not-applicable with the reason when Trivy Operator is absent', () => {
    const absent = evaluateRule(
      imageVulnerabilityBudget,
      makeSnapshot({
        objects: [workloads],
        coverage: { absentKinds: ['VulnerabilityReport'] },
      }),
    );
    expect(outcomeFor(absent, 'backend', 'shop')).toMatchObject({
      status: 'not-applicable',
      message:
        'The VulnerabilityReport CRD (vulnerabilityreports.aquasecurity.github.io) is not installed in the cluster',
      gated: true,
    });
  });

  it('is unknown when reports are unreadable', () => {
    const unreadable = evaluateRule(
      imageVulnerabilityBudget,
      makeSnapshot({
        objects: [workloads],
        coverage: { unreadable: { VulnerabilityReport: '403 Forbidden' } },
      }),
    );
    expect(outcomeFor(unreadable, 'backend', 'shop')).toMatchObject({
      status: 'unknown',
      message: 'VulnerabilityReport objects could not be read: 403 Forbidden',
    });
  });
});

describe('trivy-operator-installed (IM-05)', () => {
  it('passes when reports exist', () => {
    const [o] = evaluateRule(trivyOperatorInstalled, snapshot);
    expect(o.status).toBe('pass');
  });

  it('fails when the CRD is absent (not not-applicable)', () => {
    const [o] = evaluateRule(
      trivyOperatorInstalled,
      makeSnapshot({
        objects: [workloads],
        coverage: { absentKinds: ['VulnerabilityReport'] },
      }),
    );
    expect(o).toEqual(
      expect.objectContaining({
        status: 'fail',
        message:
          'Trivy Operator is not installed: the VulnerabilityReport CRD (vulnerabilityreports.aquasecurity.github.io) does not exist',
        evidence: [
          {
            path: 'CustomResourceDefinition/vulnerabilityreports.aquasecurity.github.io',
            value: undefined,
            expected: 'installed (Trivy Operator)',
          },
        ],
      }),
    );
    expect(o.gated).toBeUndefined();
  });

  it('fails when the CRD exists but nothing was scanned', () => {
    const [o] = evaluateRule(
      trivyOperatorInstalled,
      makeSnapshot({ objects: [deployment('web', 'shop')] }),
    );
    expect(o).toMatchObject({
      status: 'fail',
      evidence: [{ path: 'VulnerabilityReport', value: [] }],
    });
  });

  it('is unknown when reports are unreadable', () => {
    const [o] = evaluateRule(
      trivyOperatorInstalled,
      makeSnapshot({
        coverage: { unreadable: { VulnerabilityReport: '403 Forbidden' } },
      }),
    );
    expect(o).toMatchObject({
      status: 'unknown',
      message: 'VulnerabilityReport objects could not be read: 403 Forbidden',
    });
  });
});
