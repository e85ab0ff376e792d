import { fail, PASS } from '../engine/outcomes';
import { ArmClusterRule, WorkloadRule } from '../engine/rule';
import {
  deployment,
  evaluateRule,
  evaluateRuleDetailed,
  makeSnapshot,
  namespaceObject,
  outcomeFor,
} from '.';

const replicasRule: WorkloadRule = {
  id: 'test-replicas',
  baselineRef: 'HA-02',
  category: 'availability',
  severity: 'high',
  title: 'replicas',
  rationale: 'r',
  remediation: { summary: 's' },
  scope: 'workload',
  source: 'kubernetes',
  appliesTo: { profiles: ['production'] },
  check: (w, ctx) =>
    (w.replicas ?? 1) >= ctx.params.minReplicas
      ? PASS
      : fail(`${w.replicas} replica(s)`, [
          { path: 'spec.replicas', value: w.replicas, expected: '>= 2' },
        ]),
};

describe('evaluateRule', () => {
  const snapshot = makeSnapshot({
    managedCluster: { name: 'aks', tags: { Environment: 'prod' } },
    objects: [
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          namespaceObject('dev', { environment: 'development' }),
          deployment('one', 'shop', undefined, { replicas: 1 }),
          deployment('two', 'shop'),
          deployment('one', 'dev', undefined, { replicas: 1 }),
          deployment('coredns', 'kube-system', undefined, { replicas: 1 }),
        ],
      },
    ],
  });

  it('evaluates every non-system workload with its profile', () => {
    const outcomes = evaluateRule(replicasRule, snapshot);
    expect(outcomes).toHaveLength(3);
    expect(outcomeFor(outcomes, 'one', 'shop')).toMatchObject({
      status: 'fail',
      message: '1 replica(s)',
      evidence: [{ path: 'spec.replicas', value: 1 }],
      profile: 'production',
    });
    expect(outcomeFor(outcomes, 'two', 'shop').status).toBe('pass');
    expect(outcomeFor(outcomes, 'one', 'dev').status).toBe('not-applicable');
    expect(() => outcomeFor(outcomes, 'coredns')).toThrow(/subjects: /);
  });

  it('gates on unreadable and absent kinds', () => {
    const reading = { ...replicasRule, reads: ['Schedule', 'Service'] };
    const absent = evaluateRule(
      reading,
      makeSnapshot({
        objects: [deployment('a', 'b')],
        coverage: { absentKinds: ['Schedule'], unreadable: { Service: 'x' } },
      }),
    );
    expect(absent[0]).toMatchObject({ status: 'not-applicable', gated: true });
    const unreadable = evaluateRule(
      reading,
      makeSnapshot({
        objects: [deployment('a', 'b')],
        coverage: { unreadable: { Service: '403' } },
      }),
    );
    expect(unreadable[0]).toMatchObject({
      status: 'unknown',
      message: 'Service objects could not be read: 403',
    });
  });

  it('skips ARM rules without a managed cluster', () => {
    const armRule: ArmClusterRule = {
      ...(replicasRule as any),
      scope: 'cluster',
      source: 'arm',
      check: () => PASS,
    };
    const result = evaluateRuleDetailed(armRule, makeSnapshot());
    expect(result.outcomes).toEqual([]);
    expect(result.skipped).toMatch(/Azure Resource Manager/);
  });
});
