import { BASELINE_ITEMS } from '@aks-baseline/plugin-aks-baseline-common';
import { AnyRuleDefinition } from '../../engine/rule';
import { evaluateRule } from '../../testUtils';
import { identityArmRules } from '../identity/arm';
import { networkingArmRules } from '../networking/arm';
import { operationsArmRules } from '../operations/arm';
import { clusterRules } from './index';
import { compliantCluster, pool, snapshotOf } from './test-models';

const ARM_RULES: AnyRuleDefinition[] = [
  ...clusterRules,
  ...networkingArmRules,
  ...identityArmRules,
  ...operationsArmRules,
];

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('ARM rule metadata', () => {
  it('covers CL-01..CL-20 and the ARM parts of NW, ID and OP', () => {
    const refs = new Set(ARM_RULES.map(r => r.baselineRef));
    const expected = [
      ...Array.from(
        { length: 20 },
        (_, i) => `CL-${String(i + 1).padStart(2, '0')}`,
      ),
      'NW-01',
      'NW-02',
      'NW-07',
      'NW-08',
      'ID-01',
      'ID-02',
      'ID-05',
      'OP-01',
      'OP-02',
      'OP-03',
      'OP-04',
      'OP-07',
    ];
    expect([...refs].sort()).toEqual(expected.sort());
  });

  it('has unique kebab-case ids, categories matching the baseline, and complete remediation', () => {
    const ids = new Set<string>();
    for (const rule of ARM_RULES) {
      expect(rule.id).toMatch(KEBAB);
      expect(ids.has(rule.id)).toBe(false);
      ids.add(rule.id);
      const item = BASELINE_ITEMS.find(i => i.key === rule.baselineRef);
      expect(item?.category).toBe(rule.category);
      expect(rule.source).toBe('arm');
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.remediation.summary).toBeTruthy();
      expect(rule.remediation.command ?? rule.remediation.snippet).toBeTruthy();
      expect(rule.check || rule.manual).toBeTruthy();
      // Required (필수) items weigh more.
      const weights = item?.required
        ? ['high', 'critical']
        : ['critical', 'high', 'medium', 'low'];
      expect(weights).toContain(rule.severity);
    }
  });
});

describe('the baseline-compliant production cluster', () => {
  const kubernetesVersions = [
    { version: '1.34', capabilities: { supportPlan: ['KubernetesOfficial'] } },
    { version: '1.33', capabilities: { supportPlan: ['KubernetesOfficial'] } },
  ];

  it('passes every ARM rule (or the rule does not apply)', () => {
    const mc = compliantCluster();
    const snapshot = snapshotOf(mc, { kubernetesVersions });
    const notPassing: string[] = [];
    for (const rule of ARM_RULES) {
      if (rule.manual) continue;
      for (const o of evaluateRule(rule, snapshot)) {
        if (o.status !== 'pass' && o.status !== 'not-applicable')
          notPassing.push(`${rule.id} ${o.ref.name}: ${o.status} ${o.message}`);
      }
    }
    expect(notPassing).toEqual([]);
  });

  it('still passes with a Windows pool covered by Azure Hybrid Benefit', () => {
    const mc = compliantCluster();
    mc.agentPoolProfiles!.push(
      pool({ name: 'win22', osType: 'Windows', osSKU: 'Windows2022' }),
    );
    mc.windowsProfile = {
      adminUsername: 'azureuser',
      licenseType: 'Windows_Server',
    };
    for (const rule of ARM_RULES) {
      if (rule.manual) continue;
      for (const o of evaluateRule(
        rule,
        snapshotOf(mc, { kubernetesVersions }),
      )) {
        expect(['pass', 'not-applicable']).toContain(o.status);
      }
    }
  });
});
