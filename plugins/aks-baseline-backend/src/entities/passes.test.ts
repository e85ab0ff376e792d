import path from 'path';
import {
  evaluate,
  readSnapshotDirectory,
  RULE_CATALOG,
  type ClusterSnapshot,
} from '@aks-baseline/plugin-aks-baseline-node';
import {
  collectPasses,
  PASSED_OBJECTS_MAX,
  passesOnObject,
  passRules,
  uniqueSubset,
} from './passes';

const FIXTURE = path.resolve(
  __dirname,
  '../__fixtures__/clusters/aks-prod-westeurope',
);

describe('uniqueSubset', () => {
  const c = (ruleId: string, weight: number) => ({ ruleId, weight });

  it('names the one set with the count and weight', () => {
    const candidates = [c('a', 10), c('b', 5), c('c', 2)];
    expect(uniqueSubset(candidates, 2, 12)?.map(x => x.ruleId)).toEqual([
      'a',
      'c',
    ]);
    expect(uniqueSubset(candidates, 3, 17)).toHaveLength(3);
    expect(uniqueSubset(candidates, 0, 0)).toEqual([]);
  });

  it('names nothing when two sets fit or none does', () => {
    expect(uniqueSubset([c('a', 2), c('b', 2)], 1, 2)).toBeUndefined();
    expect(uniqueSubset([c('a', 2), c('b', 5)], 1, 3)).toBeUndefined();
    expect(uniqueSubset([c('a', 2)], 2, 4)).toBeUndefined();
  });
});

describe('passesOnObject', () => {
  let snapshot: ClusterSnapshot;
  beforeAll(async () => {
    snapshot = await readSnapshotDirectory(FIXTURE);
  });

  it('names only rules that the engine, run with that rule alone, counts as passed on the object', () => {
    const result = evaluate(snapshot, { rules: RULE_CATALOG });
    const rules = passRules(RULE_CATALOG, undefined);
    let named = 0;
    let counted = 0;
    for (const subject of result.subjects) {
      const findings = result.findings.filter(
        f =>
          f.resource.kind === subject.ref.kind &&
          f.resource.name === subject.ref.name &&
          (f.resource.namespace ?? '') === (subject.ref.namespace ?? ''),
      );
      const passes = passesOnObject(rules, subject, findings, result.profile);
      const passed = Object.values(subject.tallies).reduce(
        (n, t) => n + (t?.passed ?? 0),
        0,
      );
      const unattributed = Object.values(passes.unattributed ?? {}).reduce(
        (n, v) => n + (v ?? 0),
        0,
      );
      // Every pass is named or counted, none twice.
      expect(passes.ruleIds.length + unattributed).toBe(passed);
      named += passes.ruleIds.length;
      counted += unattributed;
      for (const ruleId of passes.ruleIds) {
        const alone = evaluate(snapshot, {
          rules: RULE_CATALOG.filter(r => r.id === ruleId),
        });
        const same = alone.subjects.find(
          s =>
            s.ref.kind === subject.ref.kind &&
            s.ref.name === subject.ref.name &&
            s.ref.namespace === subject.ref.namespace,
        );
        const tally = Object.values(same?.tallies ?? {})[0];
        expect({ ruleId, ref: subject.ref, passed: tally?.passed }).toEqual({
          ruleId,
          ref: subject.ref,
          passed: 1,
        });
      }
    }
    // The cluster's own subject has many rules of one weight per category:
    // its passes are mostly counted; the objects' mostly named.
    expect(named).toBeGreaterThan(0);
    expect(counted).toBeGreaterThan(0);
  });

  it('weighs with the configured severity and leaves out disabled rules', () => {
    const result = evaluate(snapshot, { rules: RULE_CATALOG });
    const subject = result.subjects.find(s =>
      Object.values(s.tallies).some(t => (t?.passed ?? 0) > 0),
    )!;
    const findings = result.findings.filter(
      f => f.resource.name === subject.ref.name,
    );
    const plain = passesOnObject(
      passRules(RULE_CATALOG, undefined),
      subject,
      findings,
    );
    expect(plain.ruleIds.length).toBeGreaterThan(0);
    const [first] = plain.ruleIds;
    const rule = RULE_CATALOG.find(r => r.id === first)!;
    // The same tallies read against a configuration where the rule that
    // passed is switched off: it is not named.
    const off = passesOnObject(
      passRules(RULE_CATALOG, { rules: { [first]: { enabled: false } } }),
      subject,
      findings,
    );
    expect(off.ruleIds).not.toContain(first);
    const other = rule.severity === 'low' ? 'critical' : 'low';
    const reweighed = passesOnObject(
      passRules(RULE_CATALOG, { rules: { [first]: { severity: other } } }),
      subject,
      findings,
    );
    expect(reweighed.ruleIds).not.toContain(first);
  });
});

describe('collectPasses', () => {
  const deployment = (name: string) => ({
    kind: 'Deployment',
    namespace: 'shop',
    name,
  });

  it('writes each object once, names the first ones per rule and counts all', () => {
    const many = Array.from({ length: PASSED_OBJECTS_MAX + 5 }, (_, i) => ({
      ref: deployment(`d${i}`),
      passes: { ruleIds: ['a', 'b'] },
    }));
    const stored = collectPasses([
      ...many,
      // The same object again (two subjects of one ref): counted once.
      { ref: deployment('d0'), passes: { ruleIds: ['a'] } },
      {
        ref: deployment('x'),
        passes: { ruleIds: ['c'], unattributed: { 'pod-security': 2 } },
      },
    ]);
    expect(stored.rules.a.total).toBe(PASSED_OBJECTS_MAX + 5);
    expect(stored.rules.a.on).toHaveLength(PASSED_OBJECTS_MAX);
    expect(stored.rules.b.on).toEqual(stored.rules.a.on);
    expect(stored.objects[stored.rules.c.on[0]]).toBe('Deployment/shop/x');
    expect(stored.objects).toHaveLength(PASSED_OBJECTS_MAX + 1);
    expect(stored.unattributed).toEqual({ 'pod-security': 2 });
  });
});
