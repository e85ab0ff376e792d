import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kubeFixtureObjects } from '../__fixtures__/kubernetes';
import { RULE_CATALOG } from '../rules';
import {
  DEFAULT_TEST_NOW,
  deployment,
  evaluateRule,
  makeSnapshot,
  namespaceObject,
} from '../testUtils';
import { refKey, evaluate } from './evaluate';
import { DeferredFinding } from './deferred-finding';
import { containersOutcome, explainContainers } from './containers';
import { fail, PASS } from './outcomes';
import { AnyRuleDefinition } from './rule';

const typicalCluster = JSON.parse(
  readFileSync(
    path.join(__dirname, '../__fixtures__/azure/aks-show-typical.json'),
    'utf8',
  ),
);

/** Every Kubernetes fixture (compliant and not) on a typical cluster. */
function fixtureSnapshot() {
  return makeSnapshot({
    azureCluster: typicalCluster,
    objects: [
      ...kubeFixtureObjects(
        'shopStorefront',
        'shopOrdersDb',
        'shopNightlyReport',
        'shopDbMigrate',
        'legacyWeb',
        'nodeLogAgent',
        'veleroDailyBackup',
      ),
      // Two offending containers and an init container: the shared
      // container helper stops at the first one while only deciding.
      deployment(
        'multi',
        'legacy',
        {
          initContainers: [{ name: 'init', image: 'busybox:latest' }],
          containers: [
            { name: 'a', image: 'nginx:latest' },
            {
              name: 'b',
              image: 'docker.io/library/redis:7',
              env: [{ name: 'DB_PASSWORD', value: 'hunter2hunter2' }],
            },
          ],
        },
        { replicas: 2 },
      ),
    ],
  });
}

describe('findings rendered when read', () => {
  it('decide like the rules do, and say what the rules say, finding by finding', () => {
    const snapshot = fixtureSnapshot();
    const result = evaluate(snapshot, {
      rules: RULE_CATALOG,
      now: DEFAULT_TEST_NOW,
    });
    let compared = 0;
    for (const rule of RULE_CATALOG) {
      if (rule.manual) continue;
      const eager = evaluateRule(rule, snapshot, { now: DEFAULT_TEST_NOW });
      const expected = eager.filter(
        o => !o.gated && (o.status === 'fail' || o.status === 'unknown'),
      );
      const found = result.findings.filter(
        f => f.ruleId === rule.id && f instanceof DeferredFinding,
      );
      // Same subjects fail (while deciding, checks skip their words)...
      expect(found.map(f => refKey(f.resource)).sort()).toEqual(
        expected.map(o => refKey(o.ref)).sort(),
      );
      // ...and each finding's words are the explaining check's.
      for (const outcome of expected) {
        const finding = found.find(
          f => refKey(f.resource) === refKey(outcome.ref),
        )!;
        expect(finding.status).toBe(outcome.status);
        expect(finding.message).toBe(outcome.message ?? rule.title);
        expect(finding.evidence).toEqual(outcome.evidence);
        compared++;
      }
    }
    // The fixtures fail dozens of checks; a vacuous pass would be 0.
    expect(compared).toBeGreaterThan(40);
  });

  it('names every offending container, though deciding stopped at the first', () => {
    const result = evaluate(fixtureSnapshot(), {
      rules: RULE_CATALOG,
      now: DEFAULT_TEST_NOW,
    });
    const pinned = result.findings.find(
      f => f.ruleId === 'container-image-pinned' && f.resource.name === 'multi',
    )!;
    expect(pinned.message).toContain('a');
    expect(pinned.message).toContain('init (init)');
    expect(pinned.evidence!.map(e => e.path)).toEqual([
      'spec.template.spec.containers[0].image',
      'spec.template.spec.initContainers[0].image',
    ]);
  });

  it('serialise as plain findings, keys in their usual order', () => {
    const snapshot = fixtureSnapshot();
    const result = evaluate(snapshot, {
      rules: RULE_CATALOG,
      now: DEFAULT_TEST_NOW,
    });
    const finding = result.findings.find(f => f instanceof DeferredFinding)!;
    const plain = JSON.parse(JSON.stringify(finding));
    expect(Object.keys(plain)).toEqual([
      'ruleId',
      'baselineRef',
      'category',
      'severity',
      'status',
      'resource',
      'message',
      'cluster',
      'evidence',
    ]);
    expect(plain).toEqual({
      ruleId: finding.ruleId,
      baselineRef: finding.baselineRef,
      category: finding.category,
      severity: finding.severity,
      status: finding.status,
      resource: finding.resource,
      message: finding.message,
      cluster: snapshot.name,
      evidence: finding.evidence,
    });
  });

  it('render a rule that throws as unknown, with the error', () => {
    let calls = 0;
    const broken = {
      id: 'broken',
      baselineRef: 'HA-02',
      category: 'availability',
      severity: 'high',
      title: 'Broken',
      rationale: 'because',
      remediation: { summary: 'fix it' },
      source: 'kubernetes',
      scope: 'workload',
      check: () => {
        calls++;
        throw new Error('boom');
      },
    } as unknown as AnyRuleDefinition;
    const result = evaluate(
      makeSnapshot({
        objects: [namespaceObject('shop'), deployment('web', 'shop')],
      }),
      { rules: [broken], now: DEFAULT_TEST_NOW },
    );
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].status).toBe('unknown');
    expect(calls).toBe(1);
    expect(result.findings[0].message).toBe('The rule failed to run: boom');
    // Rendered once: message and evidence come from one run.
    expect(result.findings[0].evidence).toBeUndefined();
    expect(calls).toBe(2);
  });

  it('run each check again when a finding is read, a container check over every container', () => {
    let checks = 0;
    let containerChecks = 0;
    const base = {
      baselineRef: 'HA-02',
      category: 'availability',
      severity: 'high',
      rationale: 'because',
      remediation: { summary: 'fix it' },
      source: 'kubernetes',
      scope: 'workload',
    } as const;
    const worded: AnyRuleDefinition = {
      ...base,
      id: 'worded',
      title: 'Worded',
      check: () => {
        checks++;
        return fail('always', [{ path: 'spec' }]);
      },
    };
    const perContainer: AnyRuleDefinition = {
      ...base,
      id: 'per-container',
      title: 'Per container',
      container: {
        check: (_c, ctx) => {
          containerChecks++;
          return [{ path: ctx.path }];
        },
        message: names => `bad: ${names.join(', ')}`,
      },
    };
    const twoContainers = deployment('web', 'shop', {
      containers: [
        { name: 'a', image: 'x:1' },
        { name: 'b', image: 'x:1' },
      ],
    });
    const result = evaluate(
      makeSnapshot({ objects: [namespaceObject('shop'), twoContainers] }),
      { rules: [worded, perContainer], now: DEFAULT_TEST_NOW },
    );
    // Deciding: the worded check once, the container check up to the first.
    expect([checks, containerChecks]).toEqual([1, 1]);
    expect(result.findings.map(f => [f.ruleId, f.message])).toEqual([
      ['worded', 'always'],
      ['per-container', 'bad: a, b'],
    ]);
    expect(result.findings[1].evidence).toEqual([
      { path: 'spec.template.spec.containers[0]' },
      { path: 'spec.template.spec.containers[1]' },
    ]);
    // Reading: each ran again once, the container check over every container.
    expect([checks, containerChecks]).toEqual([2, 3]);
  });

  it('add why a waiver did not apply to the check message', () => {
    const rule = {
      id: 'replicas',
      baselineRef: 'HA-02',
      category: 'availability',
      severity: 'high',
      title: 'Replicas',
      rationale: 'because',
      remediation: { summary: 'fix it' },
      source: 'kubernetes',
      scope: 'workload',
      check: () => fail('Only one replica'),
    } as unknown as AnyRuleDefinition;
    const web = deployment('web', 'shop');
    // No reason: the annotation is ignored, and the finding says why.
    web.metadata.annotations = {
      'aks-baseline.io/waive.replicas': 'expires=2026-06-30',
    };
    const result = evaluate(
      makeSnapshot({ objects: [namespaceObject('shop'), web] }),
      { rules: [rule], now: DEFAULT_TEST_NOW },
    );
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].status).toBe('fail');
    expect(result.findings[0].message).toMatch(
      /^Only one replica \(waiver annotation .* ignored: it gives no reason\)$/,
    );
  });

  it('render a finding once for message, evidence and fix read in a row, and never more than twice', () => {
    let checks = 0;
    const rule = {
      id: 'counted',
      baselineRef: 'HA-02',
      category: 'availability',
      severity: 'high',
      title: 'Counted',
      rationale: 'because',
      remediation: { summary: 'fix it' },
      source: 'kubernetes',
      scope: 'workload',
      check: (w: { name: string }) => {
        checks++;
        return fail(`bad ${w.name}`, [{ path: 'spec', value: w.name }]);
      },
    } as unknown as AnyRuleDefinition;
    const result = evaluate(
      makeSnapshot({
        objects: [
          namespaceObject('shop'),
          deployment('a', 'shop'),
          deployment('b', 'shop'),
        ],
      }),
      { rules: [rule], now: DEFAULT_TEST_NOW },
    );
    const [a, b] = result.findings;
    const decided = checks;
    // Read in a row: one run each.
    expect([a.message, a.evidence, b.message, b.evidence]).toEqual([
      'bad a',
      [{ path: 'spec', value: 'a' }],
      'bad b',
      [{ path: 'spec', value: 'b' }],
    ]);
    expect(checks - decided).toBe(2);
    // Back and forth: a runs a second time, then keeps its words.
    for (let i = 0; i < 3; i++) {
      expect(a.message).toBe('bad a');
      expect(b.message).toBe('bad b');
    }
    expect(checks - decided).toBe(4);
    expect(JSON.parse(JSON.stringify(result.findings))).toEqual([
      expect.objectContaining({
        message: 'bad a',
        evidence: [{ path: 'spec', value: 'a' }],
      }),
      expect.objectContaining({
        message: 'bad b',
        evidence: [{ path: 'spec', value: 'b' }],
      }),
    ]);
    expect(checks - decided).toBe(4);
  });

  it('decide a workload check that returns containersOutcome at the first offending container, and word it in full when read', () => {
    let containerChecks = 0;
    const offending = {
      check: (_c: unknown, c: { path: string }) => {
        containerChecks++;
        return [{ path: c.path }];
      },
      message: (names: readonly string[]) => `bad: ${names.join(', ')}`,
    };
    const base = {
      baselineRef: 'HA-01',
      category: 'availability',
      severity: 'medium',
      title: 'Explained containers',
      rationale: 'because',
      remediation: { summary: 'fix it' },
      source: 'kubernetes',
      scope: 'workload',
    };
    const rule = {
      ...base,
      id: 'behind-containers-outcome',
      check: (w: never, ctx: never) => containersOutcome(w, offending, ctx),
    } as unknown as AnyRuleDefinition;
    // The public helper gives its words while deciding too: a check may
    // decide on them (here: only two offending containers fail).
    const byEvidence = {
      ...base,
      id: 'by-evidence',
      check: (w: never, ctx: never) => {
        const outcome = explainContainers(w, offending, ctx);
        return (outcome.evidence?.length ?? 0) > 1 ? outcome : PASS;
      },
    } as unknown as AnyRuleDefinition;
    const snapshot = makeSnapshot({
      objects: [
        namespaceObject('shop'),
        deployment('web', 'shop', {
          containers: [
            { name: 'a', image: 'x:1' },
            { name: 'b', image: 'x:1' },
          ],
        }),
      ],
    });
    const result = evaluate(snapshot, { rules: [rule], now: DEFAULT_TEST_NOW });
    expect(result.findings.map(f => f.status)).toEqual(['fail']);
    expect(containerChecks).toBe(1);
    expect(result.findings[0].message).toBe('bad: a, b');
    expect(result.findings[0].evidence).toEqual([
      { path: 'spec.template.spec.containers[0]' },
      { path: 'spec.template.spec.containers[1]' },
    ]);
    expect(containerChecks).toBe(3);
    const decided = evaluate(snapshot, {
      rules: [byEvidence],
      now: DEFAULT_TEST_NOW,
    });
    expect(decided.findings.map(f => [f.status, f.message])).toEqual([
      ['fail', 'bad: a, b'],
    ]);
  });
});
