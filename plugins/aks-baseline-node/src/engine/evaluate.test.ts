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
} from '../testing';
import { BaselineConfigError } from './config';
import {
  evaluate,
  explainResult,
  explainSubjects,
  inNamespace,
  scoreSubjects,
} from './evaluate';
import { fail, PASS, unknown } from './outcomes';
import { AnyRuleDefinition, RuleDefinition } from './types';

const NOW = new Date('2026-03-01T12:00:00Z');

function rule<S extends RuleDefinition['scope']>(
  partial: Partial<RuleDefinition<S>> & Pick<RuleDefinition<S>, 'id' | 'scope'>,
): AnyRuleDefinition {
  return {
    baselineRef: 'HA-02',
    category: 'availability',
    severity: 'high',
    title: partial.id,
    rationale: 'because',
    remediation: { summary: 'fix it' },
    source: 'kubernetes',
    ...partial,
  } as AnyRuleDefinition;
}

const replicas = rule<'workload'>({
  id: 'replicas',
  scope: 'workload',
  check: w =>
    (w.replicas ?? 1) >= 2
      ? PASS
      : fail('too few replicas', [
          { path: 'spec.replicas', value: w.replicas, expected: '>= 2' },
        ]),
});
const prodOnly = rule<'workload'>({
  id: 'prod-only',
  scope: 'workload',
  severity: 'critical',
  category: 'pod-security',
  baselineRef: 'PS-02',
  profiles: ['production'],
  check: () => fail('always fails in production'),
});
const quota = rule<'namespace'>({
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
const backups = rule<'namespace'>({
  id: 'backups',
  scope: 'namespace',
  baselineRef: 'HA-05',
  reads: ['Schedule'],
  check: () => PASS,
});
const services = rule<'workload'>({
  id: 'services',
  scope: 'workload',
  category: 'networking',
  baselineRef: 'NW-05',
  severity: 'low',
  reads: ['Service'],
  check: () => PASS,
});
const tags = rule<'cluster'>({
  id: 'tags',
  scope: 'cluster',
  source: 'arm',
  category: 'cluster',
  baselineRef: 'CL-12',
  severity: 'low',
  check: c => (c.managedCluster?.tags?.Owner ? PASS : fail('no Owner tag')),
});
const pools = rule<'nodePool'>({
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
const ingressClass = rule<'cluster'>({
  id: 'ingress-class',
  scope: 'cluster',
  category: 'networking',
  baselineRef: 'NW-07',
  reads: ['IngressClass'],
  check: (_c, ctx) =>
    ctx.index.ofKind('IngressClass').length ? PASS : fail('no ingress class'),
});
const ingressTls = rule<'object'>({
  id: 'ingress-tls',
  scope: 'object',
  kinds: ['Ingress'],
  category: 'networking',
  baselineRef: 'NW-06',
  check: o => (o.spec?.tls ? PASS : fail('no tls')),
});
const undecided = rule<'workload'>({
  id: 'undecided',
  scope: 'workload',
  check: () => unknown('cannot tell'),
});
const broken = rule<'workload'>({
  id: 'broken',
  scope: 'workload',
  check: () => {
    throw new Error('boom');
  },
});
const manual = rule<'cluster'>({
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
    // ResourceQuota not provided: one rule-level not-applicable.
    expect(result.findings.find(f => f.ruleId === 'quota')).toMatchObject({
      status: 'not-applicable',
      message: 'No ResourceQuota objects were provided in the manifests',
    });
    expect(result.findings[0].cluster).toBeUndefined();
    expect(result.stats.rules).toBe(6);
  });

  it('judges on manifests only the namespaces given as objects', () => {
    const snap = makeSnapshot({
      objects: [
        namespaceObject('team'),
        deployment('web', 'shop'),
        deployment('api', 'team'),
      ],
      coverage: { mode: 'manifests', providedKinds: ['ResourceQuota'] },
    });
    const result = evaluate(snap, { rules: [quota], now: NOW });
    // 'shop' only receives a Deployment: its quota is not these manifests' to judge.
    expect(result.findings.map(f => [f.resource.name, f.status])).toEqual([
      ['team', 'fail'],
    ]);
    expect(
      result.subjects.filter(s => s.scope === 'namespace').map(s => s.ref.name),
    ).toEqual(['team']);
  });
});
