import { Finding, Tally } from '@aks-baseline/plugin-aks-baseline-common';
import type {
  ClusterSnapshot,
  EvaluationResult,
  KubeObject,
  SubjectResult,
} from '@aks-baseline/plugin-aks-baseline-node';
import { scoreEntitiesOnCluster } from './scoreEntities';
import { EntityTarget, entityTarget } from './targets';

function tally(passedWeight: number, failedWeight: number): Tally {
  return {
    passed: passedWeight ? 1 : 0,
    failed: failedWeight ? 1 : 0,
    passedWeight,
    failedWeight,
    unknown: 0,
    waived: 0,
    notApplicable: 0,
  };
}

function deployment(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  podLabels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { template: { metadata: { labels: podLabels }, spec: {} } },
  };
}

const objects: KubeObject[] = [
  // Labelled on the object only.
  deployment(
    'checkout-api',
    'payments',
    { 'backstage.io/kubernetes-id': 'checkout-api' },
    { app: 'checkout-api' },
  ),
  // Same id in another namespace: excluded by the namespace annotation.
  deployment(
    'checkout-api',
    'staging',
    { 'backstage.io/kubernetes-id': 'checkout-api' },
    {},
  ),
  // Labelled on the pod template only.
  deployment(
    'payments-worker',
    'payments',
    {},
    { 'app.kubernetes.io/name': 'payments-worker' },
  ),
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'checkout-api',
      namespace: 'payments',
      labels: { 'backstage.io/kubernetes-id': 'checkout-api' },
    },
    spec: { selector: { app: 'checkout-api' } },
  },
];

function subject(
  object: KubeObject,
  scope: 'workload' | 'object',
  t: Tally,
): SubjectResult {
  return {
    ref: {
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
    },
    scope,
    labels:
      scope === 'workload'
        ? object.spec.template.metadata.labels
        : object.metadata.labels,
    tallies: { 'pod-security': t },
  };
}

const finding = (name: string, namespace: string): Finding => ({
  ruleId: 'container-run-as-non-root',
  baselineRef: 'PS-02',
  category: 'pod-security',
  severity: 'high',
  status: 'fail',
  cluster: 'aks-prod',
  resource: { kind: 'Deployment', name, namespace },
  message: 'may run as root',
});

const result: EvaluationResult = {
  cluster: 'aks-prod',
  evaluatedAt: '2026-01-01T00:00:00.000Z',
  profile: 'production',
  findings: [
    finding('checkout-api', 'payments'),
    finding('checkout-api', 'staging'),
    {
      ...finding('aks-prod', ''),
      ruleId: 'cluster-local-accounts-disabled',
      category: 'cluster',
      resource: { kind: 'ManagedCluster', name: 'aks-prod' },
    },
  ],
  subjects: [
    {
      ref: { kind: 'ManagedCluster', name: 'aks-prod' },
      scope: 'cluster',
      tallies: { cluster: tally(20, 5) },
    },
    {
      ref: { kind: 'AgentPool', name: 'system' },
      scope: 'nodePool',
      tallies: { cluster: tally(5, 0) },
    },
    subject(objects[0], 'workload', tally(10, 5)),
    subject(objects[1], 'workload', tally(0, 5)),
    subject(objects[2], 'workload', tally(15, 0)),
    subject(objects[3], 'object', tally(2, 0)),
  ],
  summary: {
    score: null,
    grade: null,
    totals: tally(0, 0),
    categories: [],
  },
  stats: { objects: 4, ignoredKinds: {}, rules: 1, checks: 1 },
};

const snapshot: ClusterSnapshot = {
  name: 'aks-prod',
  objects,
  coverage: { mode: 'cluster', unreadable: {}, absentKinds: [] },
  ignoredKinds: {},
};

function target(
  name: string,
  annotations: Record<string, string>,
  kind = 'Component',
): EntityTarget {
  return entityTarget({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, annotations },
    spec: { owner: 'team-payments' },
  })!;
}

describe('scoreEntitiesOnCluster', () => {
  it('sums the tallies of the matched workloads and labelled objects', () => {
    const scores = scoreEntitiesOnCluster(result, snapshot, [
      target('checkout-api', {
        'backstage.io/kubernetes-id': 'checkout-api',
        'backstage.io/kubernetes-namespace': 'payments',
      }),
      target('payments-worker', {
        'backstage.io/kubernetes-label-selector':
          'app.kubernetes.io/name=payments-worker',
      }),
      target('aks-prod', { 'aks-baseline.io/cluster': 'aks-prod' }, 'Resource'),
      target('elsewhere', {
        'backstage.io/kubernetes-id': 'checkout-api',
        'backstage.io/kubernetes-cluster': 'aks-dev',
      }),
      target('nothing', { 'backstage.io/kubernetes-id': 'nothing' }),
    ]);
    expect(scores.map(s => s.entityRef)).toEqual([
      'component:default/checkout-api',
      'component:default/payments-worker',
      'resource:default/aks-prod',
    ]);
    const [checkout, worker, cluster] = scores;
    // Deployment 10/5 + Service 2/0 → 12 of 17.
    expect(checkout.summary.totals.passedWeight).toBe(12);
    expect(checkout.summary.totals.failedWeight).toBe(5);
    expect(checkout.summary.score).toBe(70);
    expect(checkout.resources).toEqual([
      { kind: 'Deployment', name: 'checkout-api', namespace: 'payments' },
      { kind: 'Service', name: 'checkout-api', namespace: 'payments' },
    ]);
    expect(checkout.findings).toEqual([finding('checkout-api', 'payments')]);
    expect(checkout.counts.failing.high).toBe(1);
    expect(checkout.failedRules).toEqual({ 'container-run-as-non-root': 1 });

    expect(worker.summary.score).toBe(100);
    expect(worker.findings).toEqual([]);

    expect(cluster.resources.map(r => r.kind)).toEqual([
      'ManagedCluster',
      'AgentPool',
    ]);
    expect(cluster.summary.score).toBe(83);
    expect(cluster.findings.map(f => f.ruleId)).toEqual([
      'cluster-local-accounts-disabled',
    ]);
  });

  it('matches every namespace without the namespace annotation', () => {
    const [score] = scoreEntitiesOnCluster(result, snapshot, [
      target('checkout-api', { 'backstage.io/kubernetes-id': 'checkout-api' }),
    ]);
    expect(score.resources).toHaveLength(3);
    expect(score.findings).toHaveLength(2);
  });
});
