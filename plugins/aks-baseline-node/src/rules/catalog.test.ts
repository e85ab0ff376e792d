import {
  BASELINE_ITEMS,
  BASELINE_KEYS,
  CATEGORIES,
  isSeverity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { isKnownKind } from '../engine/kinds';
import { partsOf } from '../engine/rule-parts';
import { RULE_CATALOG } from '.';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SCOPES = ['cluster', 'nodePool', 'namespace', 'workload', 'object'];

describe('RULE_CATALOG', () => {
  it('covers every baseline item', () => {
    const covered = new Set(RULE_CATALOG.map(r => r.baselineRef));
    const missing = BASELINE_KEYS.filter(key => !covered.has(key));
    expect(missing).toEqual([]);
  });

  it('says for every evaluated rule how to fix a finding, or why it cannot', () => {
    const problems: string[] = [];
    for (const r of RULE_CATALOG) {
      if (r.manual) continue;
      const hasFix = typeof r.fix === 'function';
      const reason = r.fixUnavailable?.trim();
      if (hasFix === !!reason) {
        problems.push(
          `${r.id}: ${
            hasFix
              ? 'both fix and fixUnavailable'
              : 'neither fix nor fixUnavailable'
          }`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('has unique kebab-case ids', () => {
    const ids = RULE_CATALOG.map(r => r.id);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(duplicates).toEqual([]);
    expect(ids.filter(id => !KEBAB.test(id))).toEqual([]);
  });

  it('names real baseline items, in their category', () => {
    const items = new Map(BASELINE_ITEMS.map(i => [i.key, i]));
    const wrong = RULE_CATALOG.filter(
      r => items.get(r.baselineRef)?.category !== r.category,
    ).map(r => `${r.id} (${r.baselineRef}, ${r.category})`);
    expect(wrong).toEqual([]);
  });

  it('gives every rule metadata, a remediation and a check (or a manual reason)', () => {
    const problems: string[] = [];
    for (const r of RULE_CATALOG) {
      if (!r.title?.trim()) problems.push(`${r.id}: no title`);
      if (!r.rationale?.trim()) problems.push(`${r.id}: no rationale`);
      if (!r.remediation?.summary?.trim())
        problems.push(`${r.id}: no remediation`);
      if (!isSeverity(r.severity))
        problems.push(`${r.id}: severity ${r.severity}`);
      if (!CATEGORIES.includes(r.category)) problems.push(`${r.id}: category`);
      if (!SCOPES.includes(r.scope)) problems.push(`${r.id}: scope ${r.scope}`);
      if (r.source !== 'arm' && r.source !== 'kubernetes') {
        problems.push(`${r.id}: source ${r.source}`);
      }
      if (r.manual && !r.manual.reason?.trim()) {
        problems.push(`${r.id}: manual without reason`);
      }
      // The engine refuses what it cannot run (no check, an object rule
      // without kinds, a kind it does not know and the rule does not declare).
      try {
        const parts = partsOf(r);
        for (const kind of [...parts.reads, ...parts.subjectKinds]) {
          if (!isKnownKind(kind)) {
            problems.push(`${r.id}: kind ${kind} outside KNOWN_KINDS`);
          }
        }
      } catch (error) {
        problems.push(String(error));
      }
    }
    expect(problems).toEqual([]);
  });

  it('rates required (필수) items high or critical', () => {
    const required = new Set(
      BASELINE_ITEMS.filter(i => i.required).map(i => i.key),
    );
    const low = RULE_CATALOG.filter(
      r =>
        required.has(r.baselineRef) &&
        r.severity !== 'high' &&
        r.severity !== 'critical',
    ).map(r => r.id);
    expect(low).toEqual([]);
  });

  it('lists every manual item as a manual rule', () => {
    const manualKeys = BASELINE_ITEMS.filter(i => i.manual).map(i => i.key);
    for (const key of manualKeys) {
      expect(
        RULE_CATALOG.find(r => r.baselineRef === key)?.manual,
      ).toBeDefined();
    }
  });
});
