import { evaluate } from '../../engine/evaluate';
import { findObject, kubeFixtureObjects } from '../../__fixtures__/kubernetes';
import {
  deployment,
  evaluateRule,
  kubeObject,
  makeSnapshot,
  namespaceObject,
  outcomeFor,
} from '../../testUtils';
import {
  evaluateFixtures,
  fixtureOutcome,
  objectsOutcome,
  snapshotOf,
} from '../shared/test-utils';
import { workloadAutoscaler } from './autoscaling';
import {
  containerResourceLimits,
  containerResourceRequests,
} from './container-resources';
import { resourcesRules } from './index';
import {
  namespaceLimitRange,
  namespaceResourceQuota,
} from './namespace-limits';

describe('resources rules', () => {
  it('exports RS-01..RS-05', () => {
    expect(resourcesRules.map(r => r.baselineRef)).toEqual([
      'RS-01',
      'RS-02',
      'RS-03',
      'RS-04',
      'RS-05',
    ]);
  });

  it('the compliant shop passes every rule', () => {
    const snap = snapshotOf(
      kubeFixtureObjects(
        'shopStorefront',
        'shopOrdersDb',
        'shopNightlyReport',
        'shopDbMigrate',
      ),
    );
    for (const rule of resourcesRules) {
      for (const o of evaluateRule(rule, snap)) {
        expect([rule.id, o.ref.name, o.status]).toEqual([
          rule.id,
          o.ref.name,
          'pass',
        ]);
      }
    }
  });
});

describe('container-resource-requests (RS-01)', () => {
  it('fails the container without requests, not the one with them', () => {
    const o = fixtureOutcome(
      containerResourceRequests,
      ['legacyWeb'],
      'legacy-web',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Container web does not request CPU and memory: the scheduler cannot place the pod by its real needs and it is the first to be evicted under pressure.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].resources.requests.cpu',
        value: undefined,
        expected: 'e.g. 200m',
      },
      {
        path: 'spec.template.spec.containers[0].resources.requests.memory',
        value: undefined,
        expected: 'e.g. 256Mi',
      },
    ]);
  });

  it('counts a limit as the request (API defaulting) and names a single missing resource', () => {
    const outcomes = evaluateRule(
      containerResourceRequests,
      snapshotOf([
        deployment('limits-only', 'web', {
          containers: [
            {
              name: 'app',
              image: 'a.azurecr.io/a:1',
              resources: { limits: { cpu: '1', memory: '1Gi' } },
            },
          ],
        }),
        deployment('no-memory', 'web', {
          containers: [
            {
              name: 'app',
              image: 'a.azurecr.io/a:1',
              resources: { requests: { cpu: '100m' } },
            },
          ],
        }),
      ]),
    );
    expect(outcomeFor(outcomes, 'limits-only').status).toBe('pass');
    const o = outcomeFor(outcomes, 'no-memory');
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/^Container app does not request memory:/);
    expect(o.evidence?.map(e => e.path)).toEqual([
      'spec.template.spec.containers[0].resources.requests.memory',
    ]);
  });
});

describe('container-resource-limits (RS-02)', () => {
  it('fails both legacy containers for their missing memory limit', () => {
    const o = fixtureOutcome(
      containerResourceLimits,
      ['legacyWeb'],
      'legacy-web',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      "Containers web, metrics have no memory limit: one leaking container can exhaust its node's memory.",
    );
    expect(o.evidence?.map(e => e.path)).toEqual([
      'spec.template.spec.containers[0].resources.limits.memory',
      'spec.template.spec.containers[1].resources.limits.memory',
    ]);
  });

  it('requires a CPU limit only when requireCpuLimits is set', () => {
    // The log agent sets a memory limit but no CPU limit.
    const snap = snapshotOf(kubeFixtureObjects('nodeLogAgent'));
    expect(evaluateRule(containerResourceLimits, snap)[0].status).toBe('pass');
    const [o] = evaluateRule(containerResourceLimits, snap, {
      params: { requireCpuLimits: true },
    });
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/^Container fluent-bit has no CPU limit:/);
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].resources.limits.cpu',
        value: undefined,
        expected: 'e.g. 500m (required by configuration)',
      },
    ]);
    // The same through the configuration a user writes.
    const result = evaluate(snap, {
      rules: [containerResourceLimits],
      config: { parameters: { requireCpuLimits: true } },
    });
    expect(result.findings.map(f => f.status)).toEqual(['fail']);
  });
});

describe('namespace-resource-quota (RS-03)', () => {
  it('fails a namespace without quota', () => {
    const o = fixtureOutcome(namespaceResourceQuota, ['legacyWeb'], 'legacy');
    expect(o.status).toBe('fail');
    expect(o.message).toBe('Namespace legacy has no ResourceQuota.');
    expect(o.evidence?.map(e => e.path)).toEqual(['ResourceQuota']);
  });

  it('names the missing hard limits, adding up several quotas and skipping scoped ones', () => {
    const quota = (name: string, hard: object, extra: object = {}) =>
      kubeObject('ResourceQuota', name, 'team', { hard, ...extra });
    const outcomes = evaluateRule(
      namespaceResourceQuota,
      snapshotOf([
        namespaceObject('team'),
        quota('compute', {
          cpu: '10',
          memory: '20Gi',
          'limits.cpu': '20',
          'limits.memory': '40Gi',
        }),
        quota('objects', { persistentvolumeclaims: '10' }),
        quota(
          'best-effort',
          { 'services.loadbalancers': '2' },
          { scopes: ['BestEffort'] },
        ),
      ]),
    );
    const o = outcomeFor(outcomes, 'team');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'The ResourceQuota of namespace team sets no hard limit for services.loadbalancers.',
    );
    expect(o.evidence?.map(e => e.path)).toEqual([
      'ResourceQuota/compute.spec.hard',
      'ResourceQuota/objects.spec.hard',
      'ResourceQuota/best-effort.spec.hard',
    ]);
    expect(o.evidence?.[2].expected).toMatch(/unscoped/);
  });

  it('is unknown when quotas cannot be read', () => {
    const [o] = evaluateRule(
      namespaceResourceQuota,
      makeSnapshot({
        objects: [namespaceObject('team')],
        coverage: { unreadable: { ResourceQuota: 'forbidden (403)' } },
      }),
    );
    expect(o.status).toBe('unknown');
  });
});

describe('namespace-limit-range (RS-04)', () => {
  it('fails a namespace without LimitRange', () => {
    const o = fixtureOutcome(namespaceLimitRange, ['legacyWeb'], 'legacy');
    expect(o.status).toBe('fail');
    expect(o.message).toBe('Namespace legacy has no LimitRange.');
    expect(o.evidence?.map(e => e.path)).toEqual(['LimitRange']);
  });

  it('names the container fields a LimitRange lacks (Pod items do not count)', () => {
    const objects = kubeFixtureObjects('shopStorefront');
    const range = findObject(objects, 'LimitRange', 'shop-limits');
    delete range.spec.limits[0].min;
    delete range.spec.limits[0].max;
    const o = objectsOutcome(namespaceLimitRange, objects, 'shop');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'The LimitRange of namespace shop sets no container min, max.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'LimitRange/shop-limits.spec.limits',
        value: ['Container', 'Pod'],
        expected: 'a type: Container item with min, max',
      },
    ]);
  });
});

describe('workload-has-autoscaler (RS-05)', () => {
  it('passes with an HPA (Deployment) or a VPA (StatefulSet)', () => {
    const outcomes = evaluateFixtures(workloadAutoscaler, [
      'shopStorefront',
      'shopOrdersDb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    expect(outcomeFor(outcomes, 'orders-db').status).toBe('pass');
  });

  it('fails a production deployment without autoscaler, even with one replica', () => {
    const o = fixtureOutcome(workloadAutoscaler, ['legacyWeb'], 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'No HorizontalPodAutoscaler or VerticalPodAutoscaler targets Deployment legacy-web (1 replica(s)).',
    );
    expect(o.evidence?.map(e => [e.path, e.value])).toEqual([
      ['spec.replicas', 1],
    ]);
  });

  it('does not apply to single-replica non-production workloads, DaemonSets or Jobs', () => {
    const outcomes = evaluateRule(
      workloadAutoscaler,
      snapshotOf([
        namespaceObject('dev', { environment: 'development' }),
        deployment('one', 'dev', undefined, { replicas: 1 }),
        deployment('two', 'dev', undefined, { replicas: 2 }),
        ...kubeFixtureObjects('nodeLogAgent', 'shopDbMigrate'),
      ]),
    );
    expect(outcomeFor(outcomes, 'one').status).toBe('not-applicable');
    expect(outcomeFor(outcomes, 'two').status).toBe('fail');
    // Only Deployments and StatefulSets are subjects of the rule.
    expect(outcomes.map(o => o.ref.name)).toEqual(['one', 'two']);
  });

  it('still evaluates HPAs when the VPA CRD is absent; unknown when VPAs are unreadable', () => {
    const objects = kubeFixtureObjects('shopStorefront', 'legacyWeb');
    const absent = evaluateRule(
      workloadAutoscaler,
      makeSnapshot({
        objects,
        coverage: { absentKinds: ['VerticalPodAutoscaler'] },
      }),
    );
    expect(outcomeFor(absent, 'storefront').status).toBe('pass');
    expect(outcomeFor(absent, 'legacy-web').status).toBe('fail');
    const unreadable = evaluateRule(
      workloadAutoscaler,
      makeSnapshot({
        objects,
        coverage: { unreadable: { VerticalPodAutoscaler: 'forbidden (403)' } },
      }),
    );
    expect(outcomeFor(unreadable, 'storefront').status).toBe('pass');
    const o = outcomeFor(unreadable, 'legacy-web');
    expect(o.status).toBe('unknown');
    expect(o.message).toMatch(/VerticalPodAutoscalers could not be read/);
  });
});
