import { kubeFixtureObjects } from '../__fixtures__/kubernetes';
import { RULE_CATALOG } from '../rules';
import { deployment, makeSnapshot, namespaceObject } from '../testUtils';
import { evaluate, evaluateCooperatively } from './evaluate';
import { fail, PASS } from './outcomes';
import { AnyRuleDefinition } from './rule';

const NOW = new Date('2026-03-01T12:00:00Z');

/** Many workloads in a few namespaces, some failing, plus the fixtures. */
function largeSnapshot(workloads: number) {
  const objects = [];
  for (let n = 0; n < 5; n++) {
    objects.push(
      namespaceObject(`team-${n}`, {
        'pod-security.kubernetes.io/enforce': 'restricted',
      }),
    );
  }
  for (let i = 0; i < workloads; i++) {
    const name = `app-${i}`;
    objects.push(
      deployment(
        name,
        `team-${i % 5}`,
        {
          containers: [
            {
              name,
              image:
                i % 3 === 0
                  ? `docker.io/library/${name}:latest`
                  : `contoso.azurecr.io/${name}:1.0.${i}`,
            },
          ],
        },
        { replicas: i % 4 === 0 ? 1 : 3 },
      ),
    );
  }
  objects.push(
    ...kubeFixtureObjects(
      'shopStorefront',
      'shopOrdersDb',
      'legacyWeb',
      'nodeLogAgent',
      'veleroDailyBackup',
    ),
  );
  return makeSnapshot({ name: 'aks-large', objects });
}

/** A custom rule as a module would add it: one that throws now and then. */
const flaky: AnyRuleDefinition = {
  id: 'custom-flaky',
  baselineRef: 'OP-01',
  category: 'operations',
  severity: 'low',
  title: 'Custom rule',
  rationale: 'A rule from another module.',
  remediation: { summary: 'none' },
  source: 'kubernetes',
  scope: 'workload',
  check: w => {
    if (w.name.endsWith('7')) throw new Error('custom rule broke');
    return w.name.endsWith('3') ? fail('ends with 3') : PASS;
  },
} as AnyRuleDefinition;

const RULES = [...RULE_CATALOG, flaky];

describe('evaluateCooperatively', () => {
  const snapshot = largeSnapshot(1200);

  it('gives exactly the result of evaluate()', async () => {
    const sync = evaluate(snapshot, { rules: RULES, now: NOW });
    const sliced = await evaluateCooperatively(snapshot, {
      rules: RULES,
      now: NOW,
      sliceMs: 0,
    });
    expect(sliced.stats.checks).toBeGreaterThan(10_000);
    expect(sliced.findings.some(f => f.ruleId === 'custom-flaky')).toBe(true);
    // Plain JSON, words included: every finding, subject, tally and count.
    expect(JSON.stringify(sliced)).toBe(JSON.stringify(sync));
  });

  it('gives the event loop a turn between slices', async () => {
    let turns = 0;
    const yieldControl = async () => {
      turns++;
      await new Promise<void>(resolve => setImmediate(resolve));
    };
    await evaluateCooperatively(snapshot, {
      rules: RULES,
      now: NOW,
      sliceMs: 0,
      yieldControl,
    });
    // Every 64 subjects at the latest when each slice is over at once.
    expect(turns).toBeGreaterThan(1200 / 64);
  });

  it('lets other work run while it checks', async () => {
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    const probe = {
      ...flaky,
      id: 'custom-probe',
      check: () => {
        seen.push(ticks);
        return PASS;
      },
    } as AnyRuleDefinition;
    try {
      await evaluateCooperatively(snapshot, {
        rules: [probe],
        now: NOW,
        sliceMs: 0,
      });
    } finally {
      ticking = false;
    }
    // The other task advanced between the first and the last check.
    expect(seen.length).toBeGreaterThan(1000);
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0] + 10);
  });
});
