import { Finding, Tally } from '@aks-baseline/plugin-aks-baseline-common';
import {
  evaluate,
  RULE_CATALOG,
  subjectObjectFinder,
  type ClusterSnapshot,
  type EvaluationResult,
  type KubeObject,
  type SubjectResult,
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
    const scores = scoreEntitiesOnCluster(
      result,
      snapshot,
      [
        target('checkout-api', {
          'backstage.io/kubernetes-id': 'checkout-api',
          'backstage.io/kubernetes-namespace': 'payments',
        }),
        target('payments-worker', {
          'backstage.io/kubernetes-label-selector':
            'app.kubernetes.io/name=payments-worker',
        }),
        target(
          'aks-prod',
          { 'aks-baseline.io/cluster': 'aks-prod' },
          'Resource',
        ),
        target('elsewhere', {
          'backstage.io/kubernetes-id': 'checkout-api',
          'backstage.io/kubernetes-cluster': 'aks-dev',
        }),
        target('nothing', { 'backstage.io/kubernetes-id': 'nothing' }),
      ],
      RULE_CATALOG,
    );
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

    // A cluster Resource is its whole cluster: one cluster, one score.
    expect(cluster.resources).toEqual(result.subjects.map(s => s.ref));
    expect(cluster.summary).toBe(result.summary);
    expect(cluster.findings).toEqual(result.findings);
    expect(cluster.failedRules).toEqual({
      'container-run-as-non-root': 2,
      'cluster-local-accounts-disabled': 1,
    });
  });

  it('matches every namespace without the namespace annotation', () => {
    const [score] = scoreEntitiesOnCluster(
      result,
      snapshot,
      [
        target('checkout-api', {
          'backstage.io/kubernetes-id': 'checkout-api',
        }),
      ],
      RULE_CATALOG,
    );
    expect(score.resources).toHaveLength(3);
    expect(score.findings).toHaveLength(2);
  });
});

describe('scoreEntitiesOnCluster with unreadable kinds', () => {
  const crb = {
    kind: 'ClusterRoleBinding',
    reason: 'forbidden (403): the identity cannot list clusterrolebindings',
  };
  const policies = {
    kind: 'NetworkPolicy',
    reason: 'forbidden (403): the identity cannot list networkpolicies',
  };
  const ruleLevel = (
    ruleId: string,
    baselineRef: string,
    category: Finding['category'],
    message: string,
  ): Finding => ({
    ruleId,
    baselineRef,
    category,
    severity: 'critical',
    status: 'unknown',
    cluster: 'aks-prod',
    resource: { kind: 'ManagedCluster', name: 'aks-prod' },
    message,
  });
  // As the engine reports them: ID-08's subjects could not be listed; NW-04
  // reads NetworkPolicies (gated: each workload's tally counted it).
  const adminUnknown = ruleLevel(
    'cluster-admin-bound-to-groups-only',
    'ID-08',
    'identity',
    'ClusterRoleBinding objects could not be read: forbidden (403)',
  );
  const ingressUnknown = ruleLevel(
    'workload-ingress-explicitly-allowed',
    'NW-04',
    'networking',
    'NetworkPolicy objects could not be read: forbidden (403)',
  );
  const partial: EvaluationResult = {
    ...result,
    findings: [...result.findings, adminUnknown, ingressUnknown],
  };
  const unreadableSnapshot: ClusterSnapshot = {
    ...snapshot,
    coverage: {
      mode: 'cluster',
      unreadable: {
        ClusterRoleBinding: crb.reason,
        NetworkPolicy: policies.reason,
      },
      absentKinds: [],
    },
  };

  it('gives each entity the checks that could not be made for it, with the kinds and reasons', () => {
    const [checkout, worker, cluster] = scoreEntitiesOnCluster(
      partial,
      unreadableSnapshot,
      [
        target('checkout-api', {
          'backstage.io/kubernetes-id': 'checkout-api',
          'backstage.io/kubernetes-namespace': 'payments',
        }),
        target('payments-worker', {
          'backstage.io/kubernetes-label-selector':
            'app.kubernetes.io/name=payments-worker',
        }),
        target(
          'aks-prod',
          { 'aks-baseline.io/cluster': 'aks-prod' },
          'Resource',
        ),
      ],
      RULE_CATALOG,
    );
    // ID-08 might have failed for any entity: one unknown check each, in
    // its category; NW-04's unknowns are in the workloads' tallies already.
    expect(checkout.summary.totals.unknown).toBe(1);
    expect(
      checkout.summary.categories.find(c => c.category === 'identity')?.unknown,
    ).toBe(1);
    expect(checkout.summary.score).toBe(70);
    expect(checkout.findings).toEqual(
      expect.arrayContaining([adminUnknown, ingressUnknown]),
    );
    expect(checkout.counts.unknown).toBe(2);
    expect(checkout.unreadableKinds).toEqual([crb, policies]);
    expect(worker.summary.totals.unknown).toBe(1);
    expect(worker.summary.score).toBe(100);

    // The cluster Resource: everything the cluster could not read, its
    // rule-level findings once.
    expect(cluster.unreadableKinds).toEqual([crb, policies]);
    expect(
      cluster.findings.filter(f => f === adminUnknown || f === ingressUnknown),
    ).toHaveLength(2);
  });

  it('leaves an entity alone when nothing it has needed the kind', () => {
    // Only a Service carries the label; NW-04 checks workloads.
    const service = objects[3];
    const onlyIngress: EvaluationResult = {
      ...result,
      findings: [ingressUnknown],
      subjects: [subject(service, 'object', tally(2, 0))],
    };
    const [score] = scoreEntitiesOnCluster(
      onlyIngress,
      {
        ...snapshot,
        objects: [service],
        coverage: {
          mode: 'cluster',
          unreadable: { NetworkPolicy: policies.reason },
          absentKinds: [],
        },
      },
      [
        target('checkout-api', {
          'backstage.io/kubernetes-id': 'checkout-api',
        }),
      ],
      RULE_CATALOG,
    );
    expect(score.resources.map(r => r.kind)).toEqual(['Service']);
    expect(score.findings).toEqual([]);
    expect(score.unreadableKinds).toBeUndefined();
    expect(score.summary.totals.unknown).toBe(0);
  });
});

describe('scoreEntitiesOnCluster on a result fresh from the engine', () => {
  it("scores through the engine's index exactly as through its own lookup", () => {
    const fresh = evaluate(snapshot, { rules: RULE_CATALOG });
    expect(subjectObjectFinder(fresh)).toBeDefined();
    const stored: EvaluationResult = JSON.parse(JSON.stringify(fresh));
    const targets = [
      target('checkout-api', {
        'backstage.io/kubernetes-id': 'checkout-api',
        'backstage.io/kubernetes-namespace': 'payments',
      }),
      target('payments-worker', {
        'backstage.io/kubernetes-label-selector':
          'app.kubernetes.io/name=payments-worker',
      }),
    ];
    const viaIndex = scoreEntitiesOnCluster(
      fresh,
      snapshot,
      targets,
      RULE_CATALOG,
    );
    expect(viaIndex.map(s => s.entityRef)).toEqual([
      'component:default/checkout-api',
      'component:default/payments-worker',
    ]);
    expect(JSON.parse(JSON.stringify(viaIndex))).toEqual(
      JSON.parse(
        JSON.stringify(
          scoreEntitiesOnCluster(stored, snapshot, targets, RULE_CATALOG),
        ),
      ),
    );
  });
});
