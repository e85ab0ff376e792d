import {
  CATEGORIES,
  Tally,
  addTally,
  emptyTally,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  deployment,
  kubeObject,
  makeSnapshot,
  namespaceObject,
} from '../testUtils';
import { BaselineConfigError } from './config';
import {
  evaluate,
  explainResult,
  explainSubjects,
  inNamespace,
  scoreSubjects,
} from './evaluate';
import { fail, PASS, unknown } from './outcomes';
import {
  ArmClusterRule,
  KubernetesClusterRule,
  ManualRule,
  NamespaceRule,
  NodePoolRule,
  ObjectRule,
  RuleDefinition,
  WorkloadRule,
} from './rule';

const NOW = new Date('2026-03-01T12:00:00Z');

function rule<R extends RuleDefinition>(
  partial: Partial<R> & Pick<R, 'id' | 'scope'>,
): R {
  return {
    baselineRef: 'HA-02',
    category: 'availability',
    severity: 'high',
    title: partial.id,
    rationale: 'because',
    remediation: { summary: 'fix it' },
    source: 'kubernetes',
    ...partial,
  } as R;
}

const replicas = rule<WorkloadRule>({
  id: 'replicas',
  scope: 'workload',
  check: w =>
    (w.replicas ?? 1) >= 2
      ? PASS
      : fail('too few replicas', [
          { path: 'spec.replicas', value: w.replicas, expected: '>= 2' },
        ]),
});
const prodOnly = rule<WorkloadRule>({
  id: 'prod-only',
  scope: 'workload',
  severity: 'critical',
  category: 'pod-security',
  baselineRef: 'PS-02',
  appliesTo: { profiles: ['production'] },
  check: () => fail('always fails in production'),
});
const quota = rule<NamespaceRule>({
  id: 'quota',
  scope: 'namespace',
  category: 'resources',
  baselineRef: 'RS-03',
  severity: 'medium',
  reads: ['ResourceQuota'],
  check: (ns, ctx) =>
    ctx.index.inNamespace(ns.name, 'ResourceQuota').length > 0
      ? PASS
      : fail(`namespace ${ns.name} has no ResourceQuota`),
});
const backups = rule<NamespaceRule>({
  id: 'backups',
  scope: 'namespace',
  baselineRef: 'HA-05',
  reads: ['Schedule'],
  check: () => PASS,
});
const services = rule<WorkloadRule>({
  id: 'services',
  scope: 'workload',
  category: 'networking',
  baselineRef: 'NW-05',
  severity: 'low',
  reads: ['Service'],
  check: () => PASS,
});
const tags = rule<ArmClusterRule>({
  id: 'tags',
  scope: 'cluster',
  source: 'arm',
  category: 'cluster',
  baselineRef: 'CL-12',
  severity: 'low',
  check: c => (c.managedCluster.tags?.Owner ? PASS : fail('no Owner tag')),
});
const pools = rule<NodePoolRule>({
  id: 'pools-zoned',
  scope: 'nodePool',
  source: 'arm',
  category: 'cluster',
  baselineRef: 'CL-09',
  severity: 'medium',
  check: p =>
    (p.pool.availabilityZones ?? []).length === 3
      ? PASS
      : fail(`pool ${p.pool.name} is not zoned`, [
          {
            path: `${p.path}.availabilityZones`,
            value: p.pool.availabilityZones,
          },
        ]),
});
const ingressClass = rule<KubernetesClusterRule>({
  id: 'ingress-class',
  scope: 'cluster',
  category: 'networking',
  baselineRef: 'NW-07',
  reads: ['IngressClass'],
  check: (_c, ctx) =>
    ctx.index.ofKind('IngressClass').length ? PASS : fail('no ingress class'),
});
const ingressTls = rule<ObjectRule>({
  id: 'ingress-tls',
  scope: 'object',
  appliesTo: { kinds: ['Ingress'] },
  category: 'networking',
  baselineRef: 'NW-06',
  check: o => (o.spec?.tls ? PASS : fail('no tls')),
});
const undecided = rule<WorkloadRule>({
  id: 'undecided',
  scope: 'workload',
  check: () => unknown('cannot tell'),
});
const broken = rule<WorkloadRule>({
  id: 'broken',
  scope: 'workload',
  check: () => {
    throw new Error('boom');
  },
});
const manual = rule<ManualRule>({
  id: 'manual-item',
  scope: 'cluster',
  baselineRef: 'MN-01',
  manual: { reason: 'people confirm it' },
});

const RULES = [
  replicas,
  prodOnly,
  quota,
  backups,
  services,
  tags,
  pools,
  ingressClass,
  ingressTls,
  manual,
];

function snapshot() {
  return makeSnapshot({
    managedCluster: {
      name: 'aks-prod',
      tags: { environment: 'PROD', Owner: 'team-a' },
      agentPoolProfiles: [
        { name: 'system', availabilityZones: ['1', '2', '3'] },
        { name: 'user', availabilityZones: ['1'] },
      ],
    },
    objects: [
      namespaceObject('shop'),
      namespaceObject('dev', { environment: 'dev' }),
      kubeObject('ResourceQuota', 'q', 'shop', { hard: {} }),
      deployment('web', 'shop'),
      deployment('one', 'shop', undefined, { replicas: 1 }),
      deployment('one', 'dev', undefined, { replicas: 1 }),
      deployment('coredns', 'kube-system', undefined, { replicas: 1 }),
      kubeObject('Ingress', 'web', 'shop', { rules: [] }),
      kubeObject('ConfigMap', 'ignored', 'shop'),
    ],
    coverage: { absentKinds: ['Schedule'] },
  });
}

function sumTallies(result: ReturnType<typeof evaluate>): Tally {
  const total = emptyTally();
  for (const s of result.subjects) {
    for (const c of CATEGORIES)
      if (s.tallies[c]) addTally(total, s.tallies[c]!);
  }
  return total;
}

describe('evaluate', () => {
  const result = evaluate(snapshot(), { rules: RULES, now: NOW });

  it('reports profile, stats and cluster', () => {
    expect(result.cluster).toBe('aks-prod');
    expect(result.profile).toBe('production');
    expect(result.evaluatedAt).toBe('2026-03-01T12:00:00.000Z');
    expect(result.stats).toMatchObject({
      objects: 8,
      ignoredKinds: { ConfigMap: 1 },
      rules: 10,
    });
  });

  it('excludes system namespaces and applies namespace profiles', () => {
    const failures = result.findings.filter(f => f.ruleId === 'replicas');
    expect(
      failures.map(f => `${f.resource.namespace}/${f.resource.name}`).sort(),
    ).toEqual(['dev/one', 'shop/one']);
    expect(failures[0]).toMatchObject({
      status: 'fail',
      cluster: 'aks-prod',
      severity: 'high',
      baselineRef: 'HA-02',
      category: 'availability',
      message: 'too few replicas',
      evidence: [{ path: 'spec.replicas', value: 1, expected: '>= 2' }],
    });
    // prod-only fails in shop (cluster profile production), not in dev.
    const prod = result.findings.filter(f => f.ruleId === 'prod-only');
    expect(prod.map(f => f.resource.namespace).sort()).toEqual([
      'shop',
      'shop',
    ]);
    const dev = result.subjects.find(
      s => s.ref.namespace === 'dev' && s.ref.name === 'one',
    )!;
    expect(dev.tallies['pod-security']).toMatchObject({
      notApplicable: 1,
      failed: 0,
    });
  });

  it('gives one rule-level finding for an absent CRD', () => {
    const na = result.findings.filter(f => f.ruleId === 'backups');
    expect(na).toEqual([
      expect.objectContaining({
        status: 'not-applicable',
        resource: { kind: 'ManagedCluster', name: 'aks-prod' },
        message:
          'The Schedule CRD (schedules.velero.io) is not installed in the cluster',
      }),
    ]);
    const shop = result.subjects.find(
      s => s.ref.kind === 'Namespace' && s.ref.name === 'shop',
    )!;
    expect(shop.tallies.availability).toMatchObject({
      notApplicable: 1,
      passed: 0,
    });
  });

  it('evaluates node pools and object rules', () => {
    const pool = result.findings.find(f => f.ruleId === 'pools-zoned')!;
    expect(pool.resource).toEqual({ kind: 'AgentPool', name: 'user' });
    expect(pool.evidence![0].path).toBe(
      'agentPoolProfiles[1].availabilityZones',
    );
    const tls = result.findings.find(f => f.ruleId === 'ingress-tls')!;
    expect(tls.resource).toMatchObject({
      kind: 'Ingress',
      namespace: 'shop',
      name: 'web',
    });
    expect(
      result.findings.find(f => f.ruleId === 'ingress-class')?.status,
    ).toBe('fail');
  });

  it('emits manual findings outside the score', () => {
    expect(result.findings.filter(f => f.status === 'manual')).toEqual([
      expect.objectContaining({
        ruleId: 'manual-item',
        message: 'people confirm it',
      }),
    ]);
  });

  it('has tallies that add up to the summary and the findings', () => {
    const total = sumTallies(result);
    expect(total).toEqual(result.summary.totals);
    expect(total.failed).toBe(
      result.findings.filter(f => f.status === 'fail').length,
    );
    // 6 workload checks (3 rules x 2 non-system... ) etc: passes were counted.
    expect(total.passed).toBeGreaterThan(0);
    const { passedWeight: p, failedWeight: f } = total;
    expect(result.summary.score).toBe(Math.floor((100 * p) / (p + f)));
  });

  it('explains the score: points add up to 100 - score', () => {
    const costs = explainResult(result);
    const points = costs.reduce((a, c) => a + c.points, 0);
    const { passedWeight: p, failedWeight: f } = result.summary.totals;
    expect(points).toBeCloseTo((100 * f) / (p + f));
    expect(costs[0].finding.severity).toBe('critical');
  });

  it('scores a set of subjects (a namespace, an entity)', () => {
    const shop = scoreSubjects(result, inNamespace('shop'));
    expect(
      shop.subjects.map(s => `${s.ref.kind}/${s.ref.name}`).sort(),
    ).toEqual([
      'Deployment/one',
      'Deployment/web',
      'Ingress/web',
      'Namespace/shop',
    ]);
    expect(
      shop.findings.every(
        f => f.resource.namespace === 'shop' || f.resource.name === 'shop',
      ),
    ).toBe(true);
    expect(shop.summary.score).not.toBeNull();
    const web = scoreSubjects(
      result,
      s => s.scope === 'workload' && s.labels?.app === 'web',
    );
    expect(web.subjects).toHaveLength(1);
    // web passes replicas (high, 5) and services (low, 1), fails prod-only
    // (critical, 10): floor(100 * 6 / 16) = 37.
    expect(web.summary.score).toBe(37);
    expect(explainSubjects(web).map(c => c.finding.ruleId)).toEqual([
      'prod-only',
    ]);
  });
});

describe('evaluate: configuration', () => {
  it('disables rules and overrides severities (finding and weight)', () => {
    const result = evaluate(snapshot(), {
      rules: RULES,
      now: NOW,
      config: {
        rules: {
          'prod-only': { enabled: false },
          replicas: { severity: 'low' },
        },
      },
    });
    expect(result.findings.some(f => f.ruleId === 'prod-only')).toBe(false);
    const f = result.findings.find(x => x.ruleId === 'replicas')!;
    expect(f.severity).toBe('low');
    const web = scoreSubjects(result, s => s.labels?.app === 'web');
    // replicas now low (1) + services low (1).
    expect(web.summary.totals).toMatchObject({ passed: 2, passedWeight: 2 });
    expect(result.stats.rules).toBe(9);
  });

  it('forces the profile', () => {
    const result = evaluate(snapshot(), {
      rules: RULES,
      now: NOW,
      config: { profile: 'non-production' },
    });
    expect(result.profile).toBe('non-production');
    expect(result.findings.some(f => f.ruleId === 'prod-only')).toBe(false);
  });

  it('rejects unknown rule ids with the valid choices', () => {
    expect(() =>
      evaluate(snapshot(), {
        rules: RULES,
        config: { rules: { replica: {} } },
      }),
    ).toThrow(BaselineConfigError);
    let error: BaselineConfigError | undefined;
    try {
      evaluate(snapshot(), {
        rules: RULES,
        config: { rules: { replica: {} } },
      });
    } catch (e) {
      error = e as BaselineConfigError;
    }
    expect(error?.path).toBe('rules.replica');
    expect(error?.message).toMatch(
      /unknown rule id "replica"\. Did you mean replicas\?/,
    );
    expect(error?.validChoices).toContain('ingress-tls');
  });

  it('uses parameters (system namespaces)', () => {
    const result = evaluate(snapshot(), {
      rules: [replicas],
      now: NOW,
      config: { parameters: { systemNamespaces: ['dev'] } },
    });
    const names = result.findings
      .map(f => `${f.resource.namespace}/${f.resource.name}`)
      .sort();
    expect(names).toEqual(['kube-system/coredns', 'shop/one']);
  });
});

describe('evaluate: waivers', () => {
  const waived = (annotation: string) =>
    makeSnapshot({
      objects: [
        kubeObject(
          'Deployment',
          'one',
          'shop',
          { replicas: 1, template: { spec: {} } },
          { annotations: { 'aks-baseline.io/waive.replicas': annotation } },
        ),
      ],
    });

  it('honours a valid annotation waiver outside the score', () => {
    const result = evaluate(
      waived('reason=singleton by design; expires=2026-06-30; owner=team-a'),
      { rules: [replicas], now: NOW },
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        status: 'waived',
        waiver: {
          ruleId: 'replicas',
          reason: 'singleton by design',
          expires: '2026-06-30',
          owner: 'team-a',
          source: 'annotation',
        },
      }),
    ]);
    expect(result.summary.totals).toMatchObject({ waived: 1, failed: 0 });
    expect(result.summary.score).toBeNull();
  });

  it('keeps an expired waiver as a failure', () => {
    const result = evaluate(waived('reason=temporary; expires=2026-02-28'), {
      rules: [replicas],
      now: NOW,
    });
    expect(result.findings[0]).toMatchObject({
      status: 'fail',
      waiver: { expired: true, expires: '2026-02-28' },
    });
    expect(result.summary.totals).toMatchObject({ failed: 1, waived: 0 });
  });

  it('a waiver is valid through its expiry day', () => {
    const result = evaluate(waived('reason=x; expires=2026-03-01'), {
      rules: [replicas],
      now: NOW,
    });
    expect(result.findings[0].status).toBe('waived');
  });

  it('ignores an annotation without reason, saying why', () => {
    const result = evaluate(waived('expires=2026-12-31'), {
      rules: [replicas],
      now: NOW,
    });
    expect(result.findings[0].status).toBe('fail');
    expect(result.findings[0].message).toMatch(/ignored: it gives no reason/);
  });

  it('honours namespace annotations and config waivers with scope', () => {
    const snap = makeSnapshot({
      name: 'aks-1',
      objects: [
        kubeObject('Namespace', 'batch', undefined, undefined, {
          annotations: { 'aks-baseline.io/waive.replicas': 'batch jobs only' },
        }),
        deployment('a', 'batch', undefined, { replicas: 1 }),
        deployment('b', 'shop', undefined, { replicas: 1 }),
        deployment('c', 'shop', undefined, { replicas: 1 }),
      ],
    });
    const result = evaluate(snap, {
      rules: [replicas],
      now: NOW,
      config: {
        waivers: [
          {
            ruleId: 'replicas',
            owner: 'group:platform',
            reason: 'migration',
            expires: '2026-12-31',
            scope: { cluster: 'aks-1', namespace: 'shop', name: 'b' },
          },
          {
            ruleId: 'replicas',
            owner: 'group:platform',
            reason: 'old',
            expires: '2025-12-31',
            scope: { name: 'c' },
          },
        ],
      },
    });
    const byName = Object.fromEntries(
      result.findings.map(f => [f.resource.name, f]),
    );
    expect(byName.a).toMatchObject({
      status: 'waived',
      waiver: { reason: 'batch jobs only' },
    });
    expect(byName.b).toMatchObject({
      status: 'waived',
      waiver: { source: 'config', owner: 'group:platform' },
    });
    expect(byName.c).toMatchObject({
      status: 'fail',
      waiver: { expired: true },
    });
  });
});

describe('evaluate: coverage', () => {
  it('turns unreadable kinds into one unknown finding, counted per subject', () => {
    const snap = snapshot();
    snap.coverage.unreadable = {
      Service: '403 Forbidden: services is forbidden',
    };
    const result = evaluate(snap, { rules: [services], now: NOW });
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'services',
        status: 'unknown',
        message:
          'Service objects could not be read: 403 Forbidden: services is forbidden',
      }),
    ]);
    expect(result.summary.totals).toMatchObject({ unknown: 3, passed: 0 });
    expect(result.summary.score).toBeNull();
  });

  it('records unknown outcomes and rule errors as unknown findings', () => {
    const result = evaluate(snapshot(), {
      rules: [undecided, broken],
      now: NOW,
    });
    expect(result.findings.filter(f => f.ruleId === 'undecided')).toHaveLength(
      3,
    );
    expect(result.findings.find(f => f.ruleId === 'broken')).toMatchObject({
      status: 'unknown',
      message: 'The rule failed to run: boom',
    });
  });

  it('skips ARM rules without a cluster and cluster rules on manifests', () => {
    const snap = makeSnapshot({
      objects: [
        deployment('web', 'shop'),
        kubeObject('Ingress', 'i', 'shop', { tls: [{}] }),
      ],
      coverage: { mode: 'manifests' },
    });
    const result = evaluate(snap, { rules: RULES, now: NOW });
    const ran = new Set(result.findings.map(f => f.ruleId));
    expect(ran.has('tags')).toBe(false);
    expect(ran.has('pools-zoned')).toBe(false);
    expect(ran.has('ingress-class')).toBe(false);
    expect(ran.has('manual-item')).toBe(false);
    // No ResourceQuota among the manifests for shop: the check could not be
    // made there; one finding for the namespace, counted on the subject.
    expect(result.findings.find(f => f.ruleId === 'quota')).toMatchObject({
      status: 'unknown',
      resource: { kind: 'Namespace', name: 'shop' },
      message:
        'No ResourceQuota objects in namespace shop are among the manifests: the cluster may hold some, so their absence is not evidence (1 check not made)',
    });
    expect(result.findings[0].cluster).toBeUndefined();
    expect(result.stats.rules).toBe(6);
  });

  it('judges on manifests every namespace the objects reference, by what is provided there', () => {
    const snap = makeSnapshot({
      objects: [
        namespaceObject('team'),
        deployment('web', 'shop'),
        deployment('api', 'team'),
        kubeObject('ResourceQuota', 'q', 'team', { hard: {} }),
      ],
      coverage: { mode: 'manifests' },
    });
    const result = evaluate(snap, { rules: [quota], now: NOW });
    // 'team' holds a quota: judged. 'shop' holds none: unknown, not skipped.
    expect(
      result.subjects.filter(s => s.scope === 'namespace').map(s => s.ref.name),
    ).toEqual(['shop', 'team']);
    expect(result.findings.map(f => [f.resource.name, f.status])).toEqual([
      ['shop', 'unknown'],
    ]);
    expect(result.summary.totals).toMatchObject({ passed: 1, unknown: 1 });

    // A caller that declares the manifests complete for a kind (a
    // scaffolded namespace) makes its absence evidence everywhere.
    const complete = evaluate(
      makeSnapshot({
        objects: snap.objects,
        coverage: { mode: 'manifests', providedKinds: ['ResourceQuota'] },
      }),
      { rules: [quota], now: NOW },
    );
    expect(complete.findings.map(f => [f.resource.name, f.status])).toEqual([
      ['shop', 'fail'],
    ]);
  });

  it('makes a rule unknown for subject kinds that could not be listed, and still checks the kinds that were', () => {
    const statefulSet = (name: string, ns: string, replicaCount: number) =>
      kubeObject('StatefulSet', name, ns, {
        replicas: replicaCount,
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name, image: `x.azurecr.io/${name}:1` }] },
        },
      });
    const snap = makeSnapshot({
      managedCluster: { name: 'aks-prod' },
      objects: [
        namespaceObject('shop'),
        statefulSet('db', 'shop', 1),
        statefulSet('cache', 'shop', 3),
      ],
      coverage: {
        unreadable: {
          Deployment: 'forbidden (403): cannot list deployments.apps',
        },
      },
    });
    const result = evaluate(snap, { rules: [replicas], now: NOW });
    // The StatefulSets are judged; the Deployments are said to be unread.
    expect(
      result.findings.map(f => [f.resource.kind, f.resource.name, f.status]),
    ).toEqual([
      ['ManagedCluster', 'aks-prod', 'unknown'],
      ['StatefulSet', 'db', 'fail'],
    ]);
    expect(result.findings[0].message).toBe(
      'Deployment objects could not be read: forbidden (403): cannot list deployments.apps. This rule could not be checked on them.',
    );
    // Counted once, so the totals show a check that could not be made.
    expect(result.summary.totals).toMatchObject({
      passed: 1,
      failed: 1,
      unknown: 1,
    });
    const cluster = result.subjects.find(s => s.scope === 'cluster')!;
    expect(cluster.tallies.availability?.unknown).toBe(1);

    // A rule limited to kinds that were read says nothing of Deployments.
    const onlyStatefulSets = rule<WorkloadRule>({
      id: 'sts-only',
      scope: 'workload',
      appliesTo: { kinds: ['StatefulSet'] },
      check: () => PASS,
    });
    const limited = evaluate(snap, { rules: [onlyStatefulSets], now: NOW });
    expect(limited.findings).toEqual([]);
    expect(limited.summary.totals.unknown).toBe(0);
  });

  it('keeps one finding per rule when its read kind and subject kind are both unreadable', () => {
    const snap = snapshot();
    snap.objects = snap.objects.filter(
      o => o.kind !== 'Ingress' && o.kind !== 'Deployment',
    );
    snap.coverage.unreadable = {
      Ingress: '403',
      Service: '403 services',
      Deployment: '403 deployments',
    };
    const result = evaluate(snap, { rules: [ingressTls, services], now: NOW });
    expect(result.findings.map(f => [f.ruleId, f.status, f.message])).toEqual([
      [
        'ingress-tls',
        'unknown',
        'Ingress objects could not be read: 403. This rule could not be checked on them.',
      ],
      [
        'services',
        'unknown',
        'Service objects could not be read: 403 services. Deployment objects could not be read: 403 deployments. This rule could not be checked on them.',
      ],
    ]);
    expect(result.summary.totals.unknown).toBe(2);
  });

  it("does not change a namespace's verdicts when objects of another namespace are added to manifests", () => {
    const pdbRule = rule<WorkloadRule>({
      id: 'pdb',
      scope: 'workload',
      reads: ['PodDisruptionBudget'],
      check: (w, ctx) =>
        ctx.index.pdbsCovering(w).length > 0 ? PASS : fail('no PDB'),
    });
    const base = [deployment('web', 'shop')];
    const other = [
      deployment('api', 'team'),
      kubeObject('PodDisruptionBudget', 'api', 'team', {
        maxUnavailable: 1,
        selector: { matchLabels: { app: 'api' } },
      }),
    ];
    const verdict = (objects: any[]) => {
      const result = evaluate(
        makeSnapshot({ objects, coverage: { mode: 'manifests' } }),
        { rules: [pdbRule], now: NOW },
      );
      const web = result.subjects.find(s => s.ref.name === 'web')!;
      return web.tallies.availability;
    };
    const alone = verdict(base);
    expect(alone).toMatchObject({ unknown: 1, failed: 0, passed: 0 });
    expect(verdict([...base, ...other])).toEqual(alone);
  });

  it('gives the same result whatever lists share subjects (object rules over shared kinds)', () => {
    const snap = snapshot();
    const namespaces = rule<ObjectRule>({
      id: 'ns-and-ingress',
      scope: 'object',
      appliesTo: { kinds: ['Namespace', 'Ingress', 'Deployment'] },
      category: 'operations',
      baselineRef: 'OP-05',
      check: o =>
        o.metadata.name === 'web' ? fail(`${o.kind} named web`) : PASS,
    });
    const rules = [replicas, quota, ingressTls, namespaces, prodOnly];
    const together = evaluate(snap, { rules, now: NOW });
    // Each rule alone, merged in rule order: what grouping must not change.
    const alone = rules.map(r => evaluate(snap, { rules: [r], now: NOW }));
    const findings = (res: typeof together) =>
      res.findings.map(f => [
        f.ruleId,
        f.resource.kind,
        f.resource.name,
        f.status,
        f.message,
      ]);
    expect(findings(together)).toEqual(alone.flatMap(findings));
    const totals = emptyTally();
    for (const res of alone) addTally(totals, res.summary.totals);
    expect(together.summary.totals).toEqual(totals);
    expect(together.stats.checks).toBe(
      alone.reduce((n, res) => n + res.stats.checks, 0),
    );
  });
});
