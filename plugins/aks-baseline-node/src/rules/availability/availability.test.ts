import { findObject, kubeFixtureObjects } from '../../__fixtures__/kubernetes';
import { KubeObject } from '../../engine/types';
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
  evidencePaths,
  fixtureOutcome,
  objectsOutcome,
  snapshotOf,
} from '../shared/test-utils';
import { globMatch, namespaceBackupSchedule } from './backup';
import { availabilityRules } from './index';
import { containerLivenessProbe, containerReadinessProbe } from './probes';
import {
  podDisruptionBudgetAllowsEvictions,
  workloadMinReplicas,
  workloadPodDisruptionBudget,
  workloadTopologySpread,
} from './replicas';
import { batchSpotScheduling } from './spot';

const COMPLIANT = [
  'shopStorefront',
  'shopOrdersDb',
  'shopNightlyReport',
  'shopDbMigrate',
  'veleroDailyBackup',
] as const;

/** The compliant shop objects with the storefront Deployment edited. */
function storefrontWith(edit: (deployment: any) => void): KubeObject[] {
  const objects = kubeFixtureObjects('shopStorefront');
  edit(findObject(objects, 'Deployment', 'storefront'));
  return objects;
}

describe('availability rules', () => {
  it('exports HA-01..HA-06', () => {
    expect(new Set(availabilityRules.map(r => r.baselineRef))).toEqual(
      new Set(['HA-01', 'HA-02', 'HA-03', 'HA-04', 'HA-05', 'HA-06']),
    );
  });

  it('the compliant shop never fails', () => {
    const snap = snapshotOf(kubeFixtureObjects(...COMPLIANT));
    for (const rule of availabilityRules) {
      for (const o of evaluateRule(rule, snap)) {
        expect([rule.id, o.ref.name, o.status]).toEqual([
          rule.id,
          o.ref.name,
          expect.stringMatching(/^(pass|not-applicable)$/),
        ]);
      }
    }
  });
});

describe('container-liveness-probe (HA-01)', () => {
  it('fails containers without liveness probe', () => {
    const outcomes = evaluateFixtures(containerLivenessProbe, [
      'shopStorefront',
      'legacyWeb',
      'nodeLogAgent',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    expect(outcomeFor(outcomes, 'node-log-agent').status).toBe('pass');
    const o = outcomeFor(outcomes, 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Containers web, metrics have no liveness probe: a hung process is never restarted.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].livenessProbe',
        value: undefined,
        expected: 'an httpGet, tcpSocket, grpc or exec probe',
      },
      {
        path: 'spec.template.spec.containers[1].livenessProbe',
        value: undefined,
        expected: 'an httpGet, tcpSocket, grpc or exec probe',
      },
    ]);
  });

  it('does not apply to Jobs, CronJobs or run-once Pods (they run to completion)', () => {
    const pod = kubeObject('Pod', 'one-off', 'shop', {
      restartPolicy: 'Never',
      containers: [
        { name: 'task', image: 'contoso.azurecr.io/tools/task:1.0.0' },
      ],
    });
    const outcomes = evaluateRule(
      containerLivenessProbe,
      snapshotOf([
        ...kubeFixtureObjects('shopNightlyReport', 'shopDbMigrate'),
        pod,
      ]),
    );
    expect(outcomeFor(outcomes, 'nightly-report').status).toBe(
      'not-applicable',
    );
    expect(outcomeFor(outcomes, 'db-migrate-1-4-2').status).toBe(
      'not-applicable',
    );
    expect(outcomeFor(outcomes, 'one-off').status).toBe('not-applicable');
  });

  it('does not require probes on init containers', () => {
    const objects = storefrontWith(d => {
      d.spec.template.spec.initContainers = [
        { name: 'wait-for-db', image: 'contoso.azurecr.io/tools/wait:1.0.0' },
      ];
    });
    const o = objectsOutcome(containerLivenessProbe, objects, 'storefront');
    expect(o.status).toBe('pass');
  });
});

describe('container-readiness-probe (HA-01)', () => {
  it('fails serving containers without readiness probe when a Service selects the pod', () => {
    const outcomes = evaluateFixtures(containerReadinessProbe, [
      'shopStorefront',
      'legacyWeb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    const o = outcomeFor(outcomes, 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Containers web, metrics have no readiness probe although Service legacy-web selects the pod: traffic reaches it before it is ready and while it is failing.',
    );
    expect(evidencePaths(o)).toEqual([
      'spec.template.spec.containers[0].readinessProbe',
      'spec.template.spec.containers[1].readinessProbe',
    ]);
  });

  it('does not apply when no Service selects the pod', () => {
    const objects = kubeFixtureObjects('legacyWeb').filter(
      o => o.kind !== 'Service',
    );
    objects.push(
      kubeObject('Service', 'other', 'legacy', { selector: { app: 'other' } }),
    );
    const o = objectsOutcome(containerReadinessProbe, objects, 'legacy-web');
    expect(o.status).toBe('not-applicable');
  });

  it('does not apply to a Job even when a Service selects it', () => {
    const objects = kubeFixtureObjects('shopDbMigrate');
    objects.push(
      kubeObject('Service', 'migrate', 'shop', {
        selector: { 'app.kubernetes.io/name': 'db-migrate' },
      }),
    );
    const [o] = evaluateRule(containerReadinessProbe, snapshotOf(objects));
    expect(o.status).toBe('not-applicable');
  });

  it('only requires it on containers that declare ports when some do', () => {
    const objects = storefrontWith(d => {
      d.spec.template.spec.containers.push({
        name: 'log-tailer',
        image: 'contoso.azurecr.io/tools/tailer:1.0.0',
      });
    });
    const o = objectsOutcome(containerReadinessProbe, objects, 'storefront');
    expect(o.status).toBe('pass');
  });

  it('is unknown when Services cannot be read', () => {
    const [o] = evaluateRule(
      containerReadinessProbe,
      makeSnapshot({
        objects: kubeFixtureObjects('legacyWeb'),
        coverage: { unreadable: { Service: 'forbidden (403)' } },
      }),
    );
    expect(o.status).toBe('unknown');
    expect(o.message).toMatch(/Service objects could not be read/);
  });
});

describe('workload-min-replicas (HA-02)', () => {
  it('fails a single-replica production deployment', () => {
    const outcomes = evaluateFixtures(workloadMinReplicas, [
      'shopStorefront',
      'shopOrdersDb',
      'legacyWeb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    expect(outcomeFor(outcomes, 'orders-db').status).toBe('pass');
    const o = outcomeFor(outcomes, 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Deployment legacy-web runs 1 replica(s); production workloads need at least 2.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.replicas',
        value: 1,
        expected: '>= 2 (or an HPA with minReplicas >= 2)',
      },
    ]);
  });

  it('accepts an HPA whose minReplicas is high enough, and follows params.minReplicas', () => {
    const objects = kubeFixtureObjects('legacyWeb');
    objects.push(
      kubeObject('HorizontalPodAutoscaler', 'legacy-web', 'legacy', {
        minReplicas: 2,
        maxReplicas: 4,
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'legacy-web',
        },
      }),
    );
    expect(
      evaluateRule(workloadMinReplicas, snapshotOf(objects))[0].status,
    ).toBe('pass');
    const strict = evaluateFixtures(workloadMinReplicas, ['shopStorefront'], {
      params: { minReplicas: 4 },
    });
    expect(strict[0].status).toBe('fail');
    expect(strict[0].message).toMatch(
      /runs 3 replica\(s\); production workloads need at least 4/,
    );
  });

  it('does not apply outside production', () => {
    const [o] = evaluateRule(
      workloadMinReplicas,
      snapshotOf([
        namespaceObject('dev', { environment: 'development' }),
        deployment('api', 'dev', undefined, { replicas: 1 }),
      ]),
    );
    expect(o.status).toBe('not-applicable');
  });
});

describe('workload-pod-disruption-budget (HA-03)', () => {
  it('passes maxUnavailable 1 and minAvailable 2 of 3', () => {
    const outcomes = evaluateFixtures(workloadPodDisruptionBudget, [
      'shopStorefront',
      'shopOrdersDb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    expect(outcomeFor(outcomes, 'orders-db').status).toBe('pass');
  });

  it('fails a multi-replica deployment without PDB; single replicas are not applicable', () => {
    const outcomes = evaluateRule(
      workloadPodDisruptionBudget,
      snapshotOf([
        deployment('api', 'team', undefined, { replicas: 2 }),
        ...kubeFixtureObjects('legacyWeb'),
      ]),
    );
    expect(outcomeFor(outcomes, 'legacy-web').status).toBe('not-applicable');
    const o = outcomeFor(outcomes, 'api');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'No PodDisruptionBudget selects the pods of Deployment api (2 replicas): a node drain may evict all of them at once.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.metadata.labels',
        value: { app: 'api' },
        expected: 'labels selected by a PodDisruptionBudget',
      },
    ]);
  });

  it.each([
    [{ maxUnavailable: 0 }, 'maxUnavailable', 0],
    [{ maxUnavailable: '0%' }, 'maxUnavailable', '0%'],
    [{ minAvailable: 3 }, 'minAvailable', 3],
    [{ minAvailable: '100%' }, 'minAvailable', '100%'],
    [{ minAvailable: '70%' }, 'minAvailable', '70%'],
  ])('fails a PDB that blocks every eviction: %p', (spec, field, value) => {
    const objects = kubeFixtureObjects('shopStorefront');
    const pdb = findObject(objects, 'PodDisruptionBudget', 'storefront');
    pdb.spec = { selector: pdb.spec.selector, ...spec };
    const o = objectsOutcome(
      workloadPodDisruptionBudget,
      objects,
      'storefront',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'PodDisruptionBudget storefront allows no disruption with 3 replicas: node drains and upgrades block.',
    );
    expect(o.evidence).toEqual([
      {
        path: `PodDisruptionBudget/storefront.spec.${field}`,
        value,
        expected: 'lets at least one of 3 pods be evicted',
      },
    ]);
  });

  it('fails pods covered by two PDBs (the eviction API refuses them)', () => {
    const objects = kubeFixtureObjects('shopStorefront');
    objects.push(
      kubeObject('PodDisruptionBudget', 'shop-wide', 'shop', {
        maxUnavailable: '50%',
        selector: { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } },
      }),
    );
    const o = objectsOutcome(
      workloadPodDisruptionBudget,
      objects,
      'storefront',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(
      /^2 PodDisruptionBudgets \(storefront, shop-wide\) select the pods/,
    );
    expect(evidencePaths(o)).toEqual([
      'PodDisruptionBudget/storefront.spec.maxUnavailable',
      'PodDisruptionBudget/shop-wide.spec.maxUnavailable',
    ]);
  });
});

describe('HA-03 against autoscalers, bad budgets, and on manifests', () => {
  const hpa = (name: string, ns: string, min: number | undefined) =>
    kubeObject('HorizontalPodAutoscaler', name, ns, {
      ...(min === undefined ? {} : { minReplicas: min }),
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    });
  const pdb = (name: string, ns: string, budget: object) =>
    kubeObject('PodDisruptionBudget', name, ns, {
      ...budget,
      selector: { matchLabels: { app: name } },
    });

  it("compares the budget with the HPA's minReplicas, not only spec.replicas", () => {
    // 4 replicas, minAvailable 2: fine at 4, but the HPA scales down to 2.
    const objects = [
      deployment('api', 'shop', undefined, { replicas: 4 }),
      pdb('api', 'shop', { minAvailable: 2 }),
      hpa('api', 'shop', 2),
    ];
    const o = objectsOutcome(workloadPodDisruptionBudget, objects, 'api');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'PodDisruptionBudget api allows no disruption when HorizontalPodAutoscaler api scales Deployment api down to its minReplicas (2): node drains and upgrades block then.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'PodDisruptionBudget/api.spec.minAvailable',
        value: 2,
        expected: 'lets at least one of 2 pods be evicted',
      },
      {
        path: 'HorizontalPodAutoscaler/api.spec.minReplicas',
        value: 2,
        expected: 'more replicas than the budget keeps available',
      },
    ]);
    // An HPA keeping 3 leaves room for one eviction.
    objects[2] = hpa('api', 'shop', 3);
    expect(
      objectsOutcome(workloadPodDisruptionBudget, objects, 'api').status,
    ).toBe('pass');
  });

  it('judges a single-replica Deployment an HPA scales to two or more', () => {
    const objects = [
      deployment('api', 'shop', undefined, { replicas: 1 }),
      hpa('api', 'shop', 2),
    ];
    expect(
      objectsOutcome(workloadPodDisruptionBudget, objects, 'api').status,
    ).toBe('fail');
  });

  it('is unknown, never a pass, for a budget that is not an integer or a percentage', () => {
    const o = objectsOutcome(
      workloadPodDisruptionBudget,
      [
        deployment('api', 'shop', undefined, { replicas: 3 }),
        pdb('api', 'shop', { maxUnavailable: 'one' }),
      ],
      'api',
    );
    expect(o).toMatchObject({
      status: 'unknown',
      evidence: [
        { path: 'PodDisruptionBudget/api.spec.maxUnavailable', value: 'one' },
      ],
    });
  });

  it('evaluates a ReplicationController like any replicated workload', () => {
    const rc = kubeObject('ReplicationController', 'legacy', 'shop', {
      replicas: 3,
      selector: { app: 'legacy' },
      template: {
        metadata: { labels: { app: 'legacy' } },
        spec: { containers: [{ name: 'legacy', image: 'nginx:1.27' }] },
      },
    });
    const o = objectsOutcome(workloadPodDisruptionBudget, [rc], 'legacy');
    expect(o).toMatchObject({
      ref: { kind: 'ReplicationController' },
      status: 'fail',
      message: expect.stringContaining('ReplicationController legacy'),
    });
  });

  it('on manifests: unknown without a PDB in the namespace, whatever other namespaces hold', () => {
    const manifests = (objects: KubeObject[]) =>
      outcomeFor(
        evaluateRule(
          workloadPodDisruptionBudget,
          makeSnapshot({ objects, coverage: { mode: 'manifests' } }),
        ),
        'web',
        'shop',
      );
    const alone = manifests([deployment('web', 'shop')]);
    expect(alone).toMatchObject({
      status: 'unknown',
      notProvided: { kind: 'PodDisruptionBudget', namespace: 'shop' },
    });
    // Before: a PDB and a NetworkPolicy of namespace team turned it to fail.
    const withOthers = manifests([
      deployment('web', 'shop'),
      deployment('api', 'team'),
      pdb('api', 'team', { maxUnavailable: 1 }),
      kubeObject('NetworkPolicy', 'deny', 'team', { podSelector: {} }),
    ]);
    expect(withOthers).toEqual(alone);
    // A PDB of its own namespace makes absence evidence there.
    const judged = manifests([
      deployment('web', 'shop'),
      deployment('api', 'shop', undefined, {
        podLabels: { app: 'api' },
      }),
      pdb('api', 'shop', { maxUnavailable: 1 }),
    ]);
    expect(judged.status).toBe('fail');
  });
});

describe('pdb-allows-evictions (HA-03)', () => {
  const pdb = (budget: object) =>
    kubeObject('PodDisruptionBudget', 'orders', 'shop', {
      ...budget,
      selector: { matchLabels: { app: 'orders' } },
    });
  const judge = (budget: object, mode: 'cluster' | 'manifests' = 'manifests') =>
    evaluateRule(
      podDisruptionBudgetAllowsEvictions,
      makeSnapshot({ objects: [pdb(budget)], coverage: { mode } }),
    )[0];

  it.each([
    [{ maxUnavailable: 0 }],
    [{ maxUnavailable: '0%' }],
    [{ maxUnavailable: '0' }],
    [{ minAvailable: '100%' }],
  ])(
    'fails a budget that refuses every eviction, with no workload in the input: %j',
    budget => {
      for (const mode of ['cluster', 'manifests'] as const) {
        const o = judge(budget, mode);
        expect(o.status).toBe('fail');
        expect(o.message).toMatch(/refuses every eviction/);
      }
    },
  );

  it('leaves other budgets to the workload they cover', () => {
    expect(judge({ maxUnavailable: 1 }).status).toBe('not-applicable');
    expect(judge({ minAvailable: 2 }).status).toBe('not-applicable');
    expect(judge({ minAvailable: '50%' }).status).toBe('not-applicable');
  });

  it('is unknown for an invalid budget', () => {
    expect(judge({ minAvailable: 1, maxUnavailable: 1 }).status).toBe(
      'unknown',
    );
    expect(judge({ maxUnavailable: '150%' }).status).toBe('unknown');
  });

  it('does not judge a PDB a workload in the input is judged with', () => {
    const [o] = evaluateRule(
      podDisruptionBudgetAllowsEvictions,
      makeSnapshot({
        objects: [
          pdb({ maxUnavailable: 0 }),
          deployment('orders', 'shop', undefined, { replicas: 3 }),
        ],
      }),
    );
    expect(o.status).toBe('not-applicable');
    // ...where the workload rule fails it.
    expect(
      objectsOutcome(
        workloadPodDisruptionBudget,
        [
          pdb({ maxUnavailable: 0 }),
          deployment('orders', 'shop', undefined, { replicas: 3 }),
        ],
        'orders',
      ).status,
    ).toBe('fail');
  });
});

describe('workload-zone-and-host-spread (HA-04)', () => {
  it('passes zone spread with hostname spread or required anti-affinity', () => {
    const outcomes = evaluateFixtures(workloadTopologySpread, [
      'shopStorefront',
      'shopOrdersDb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    expect(outcomeFor(outcomes, 'orders-db').status).toBe('pass');
  });

  it('fails a deployment spread over neither zones nor nodes', () => {
    const objects = storefrontWith(d => {
      delete d.spec.template.spec.topologySpreadConstraints;
      delete d.spec.template.spec.affinity;
    });
    const o = objectsOutcome(workloadTopologySpread, objects, 'storefront');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'The 3 replicas of Deployment storefront are not spread across zones (topologySpreadConstraints on topology.kubernetes.io/zone) or nodes (kubernetes.io/hostname spread or pod anti-affinity): one zone or node failure can take them all down.',
    );
    expect(evidencePaths(o)).toEqual([
      'spec.template.spec.topologySpreadConstraints',
      'spec.template.spec.affinity.podAntiAffinity',
    ]);
  });

  it('ignores constraints whose labelSelector does not match the pods', () => {
    const objects = storefrontWith(d => {
      d.spec.template.spec.topologySpreadConstraints[0].labelSelector = {
        matchLabels: { app: 'storefront' },
      };
    });
    const o = objectsOutcome(workloadTopologySpread, objects, 'storefront');
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/not spread across zones \(/);
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.topologySpreadConstraints',
        value: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'],
        expected:
          'a constraint with topologyKey topology.kubernetes.io/zone whose labelSelector matches the pods',
      },
    ]);
  });

  it('does not apply to single replicas', () => {
    const o = fixtureOutcome(
      workloadTopologySpread,
      ['legacyWeb'],
      'legacy-web',
    );
    expect(o.status).toBe('not-applicable');
  });
});

describe('namespace-velero-backup-schedule (HA-05)', () => {
  it('passes an included namespace, fails one the schedule leaves out', () => {
    const outcomes = evaluateFixtures(namespaceBackupSchedule, [
      'shopStorefront',
      'legacyWeb',
      'veleroDailyBackup',
    ]);
    expect(outcomeFor(outcomes, 'shop').status).toBe('pass');
    // Velero's own namespace is not an application namespace.
    expect(outcomeFor(outcomes, 'velero').status).toBe('not-applicable');
    const o = outcomeFor(outcomes, 'legacy');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'No Velero Schedule backs up namespace legacy (velero/daily-backup: not included).',
    );
    expect(o.evidence).toEqual([
      {
        path: 'Schedule/velero/daily-backup.spec.template.includedNamespaces',
        value: ['shop', 'staging'],
        expected:
          "includes legacy (or '*'), not excluded, not paused, no label selector",
      },
    ]);
  });

  it('is not applicable when the Velero CRD is not installed', () => {
    const outcomes = evaluateRule(
      namespaceBackupSchedule,
      makeSnapshot({
        objects: kubeFixtureObjects('shopStorefront'),
        coverage: { absentKinds: ['Schedule'] },
      }),
    );
    expect(outcomes[0]).toMatchObject({
      status: 'not-applicable',
      message:
        'The Schedule CRD (schedules.velero.io) is not installed in the cluster',
    });
  });

  it('fails when the CRD is installed but there is no schedule', () => {
    const [o] = evaluateRule(
      namespaceBackupSchedule,
      snapshotOf([namespaceObject('team')]),
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'No Velero Schedule exists, so namespace team is never backed up.',
    );
    expect(evidencePaths(o)).toEqual(['Schedule']);
  });

  it("handles '*', globs, empty includes, exclusions and paused schedules", () => {
    const schedule = (name: string, spec: object) =>
      kubeObject('Schedule', name, 'velero', spec);
    const outcomes = evaluateRule(
      namespaceBackupSchedule,
      snapshotOf([
        namespaceObject('shop'),
        namespaceObject('legacy'),
        namespaceObject('team-a'),
        namespaceObject('team-b'),
        schedule('all-but-legacy', {
          schedule: '0 3 * * *',
          template: {
            includedNamespaces: ['*'],
            excludedNamespaces: ['legacy', 'team-*'],
          },
        }),
        schedule('teams', {
          schedule: '0 4 * * *',
          paused: true,
          template: { includedNamespaces: ['team-*'] },
        }),
        schedule('team-b', {
          schedule: '0 5 * * *',
          template: {
            includedNamespaces: ['team-?'],
            excludedNamespaces: ['team-a'],
          },
        }),
      ]),
    );
    expect(outcomeFor(outcomes, 'shop').status).toBe('pass');
    expect(outcomeFor(outcomes, 'team-b').status).toBe('pass');
    const legacy = outcomeFor(outcomes, 'legacy');
    expect(legacy.status).toBe('fail');
    expect(legacy.message).toBe(
      'No Velero Schedule backs up namespace legacy (velero/all-but-legacy: excluded; velero/teams: paused; velero/team-b: not included).',
    );
    expect(outcomeFor(outcomes, 'team-a').status).toBe('fail');

    const [all] = evaluateRule(
      namespaceBackupSchedule,
      snapshotOf([
        namespaceObject('legacy'),
        schedule('everything', { schedule: '@daily', template: {} }),
      ]),
    );
    expect(all.status).toBe('pass');
  });

  it('names at most five schedules in a finding, and counts the rest', () => {
    const schedules = Array.from({ length: 8 }, (_, i) =>
      kubeObject('Schedule', `team-${i}`, 'velero', {
        schedule: '@daily',
        template: { includedNamespaces: [`team-${i}`] },
      }),
    );
    const outcomes = evaluateRule(
      namespaceBackupSchedule,
      snapshotOf([namespaceObject('legacy'), ...schedules]),
    );
    const legacy = outcomeFor(outcomes, 'legacy');
    expect(legacy.status).toBe('fail');
    expect(legacy.evidence).toHaveLength(5);
    expect(legacy.message).toMatch(
      /velero\/team-4: not included; and 3 more schedules\)\.$/,
    );
  });

  it('matches globs', () => {
    expect(globMatch('*', 'anything')).toBe(true);
    expect(globMatch('team-*', 'team-a')).toBe(true);
    expect(globMatch('team-*', 'teams')).toBe(false);
    expect(globMatch('t?am-*-prod', 'team-x-prod')).toBe(true);
    expect(globMatch('shop', 'shop2')).toBe(false);
  });
});

describe('batch-spot-toleration-and-selector (HA-06)', () => {
  const report = () => {
    const objects = kubeFixtureObjects('shopNightlyReport');
    const cron = findObject(objects, 'CronJob', 'nightly-report');
    return { objects, spec: cron.spec.jobTemplate.spec.template.spec };
  };

  it('passes a CronJob with the spot toleration and nodeSelector', () => {
    const [o] = evaluateRule(batchSpotScheduling, snapshotOf(report().objects));
    expect(o.status).toBe('pass');
  });

  it('fails selecting spot nodes without the toleration', () => {
    const { objects, spec } = report();
    delete spec.tolerations;
    const [o] = evaluateRule(batchSpotScheduling, snapshotOf(objects));
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'CronJob nightly-report selects spot nodes but does not tolerate the kubernetes.azure.com/scalesetpriority=spot:NoSchedule taint: its pods can never be scheduled there.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.jobTemplate.spec.template.spec.tolerations',
        value: undefined,
        expected:
          'a toleration kubernetes.azure.com/scalesetpriority=spot:NoSchedule',
      },
    ]);
  });

  it('fails tolerating the taint without selecting spot nodes', () => {
    const { objects, spec } = report();
    delete spec.nodeSelector;
    const [o] = evaluateRule(batchSpotScheduling, snapshotOf(objects));
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(
      /tolerates the spot taint but does not select spot nodes/,
    );
    expect(evidencePaths(o)).toEqual([
      'spec.jobTemplate.spec.template.spec.nodeSelector',
    ]);
  });

  it('accepts node affinity instead of a nodeSelector, and Exists tolerations', () => {
    const { objects, spec } = report();
    delete spec.nodeSelector;
    spec.tolerations = [
      { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Exists' },
    ];
    spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                {
                  key: 'kubernetes.azure.com/scalesetpriority',
                  operator: 'In',
                  values: ['spot'],
                },
              ],
            },
          ],
        },
      },
    };
    const [o] = evaluateRule(batchSpotScheduling, snapshotOf(objects));
    expect(o.status).toBe('pass');
  });

  it('does not apply to batch workloads that ignore Spot', () => {
    const [o] = evaluateFixtures(batchSpotScheduling, ['shopDbMigrate']);
    expect(o.status).toBe('not-applicable');
  });

  it("covers Deployments on Spot (the baseline's batch example is a queue-worker Deployment)", () => {
    const worker = (podSpec: Record<string, unknown>) =>
      deployment('queue-worker', 'batch', {
        containers: [
          {
            name: 'worker',
            image: 'contoso.azurecr.io/batch/worker:1.0.0',
          },
        ],
        ...podSpec,
      });
    const spotToleration = {
      key: 'kubernetes.azure.com/scalesetpriority',
      operator: 'Equal',
      value: 'spot',
      effect: 'NoSchedule',
    };
    const [selectsOnly] = evaluateRule(
      batchSpotScheduling,
      snapshotOf([
        worker({
          nodeSelector: { 'kubernetes.azure.com/scalesetpriority': 'spot' },
        }),
      ]),
    );
    expect(selectsOnly).toMatchObject({
      ref: { kind: 'Deployment' },
      status: 'fail',
      message: expect.stringContaining(
        'Deployment queue-worker selects spot nodes but does not tolerate',
      ),
    });
    const [both] = evaluateRule(
      batchSpotScheduling,
      snapshotOf([
        worker({
          tolerations: [spotToleration],
          nodeSelector: { 'kubernetes.azure.com/scalesetpriority': 'spot' },
        }),
      ]),
    );
    expect(both.status).toBe('pass');
  });

  it('does not apply to DaemonSets, which tolerate taints to run on every node', () => {
    const ds = kubeObject('DaemonSet', 'agent', 'ops', {
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          containers: [{ name: 'agent', image: 'x' }],
          tolerations: [
            {
              key: 'kubernetes.azure.com/scalesetpriority',
              operator: 'Exists',
              effect: 'NoSchedule',
            },
          ],
        },
      },
    });
    expect(evaluateRule(batchSpotScheduling, snapshotOf([ds]))).toEqual([]);
  });
});
