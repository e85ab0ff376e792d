import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { evaluate } from '../engine/evaluate';
import { RULE_CATALOG } from '../rules';
import { apiVersionServedInTarget } from '../rules/aks-2026';
import { kubeObject, makeSnapshot } from '../testUtils';
import { upgradeReadiness, UPGRADE_READINESS_RULES } from './readiness';

function finding(ruleId: string, status: Finding['status']): Finding {
  return {
    ruleId,
    baselineRef: 'AX-14',
    category: 'operations',
    severity: 'medium',
    status,
    resource: { kind: 'PodDisruptionBudget', name: 'web', namespace: 'shop' },
    message: `${ruleId} ${status}`,
  };
}

describe('upgradeReadiness', () => {
  it('names rules of the catalog (or the CLI target rule) only', () => {
    const ids = new Set([
      ...RULE_CATALOG.map(r => r.id),
      apiVersionServedInTarget.id,
    ]);
    expect(UPGRADE_READINESS_RULES.filter(id => !ids.has(id))).toEqual([]);
  });

  it('is blocked by a failing or waived blocking rule, not by an advisory one', () => {
    expect(
      upgradeReadiness([finding('node-image-current', 'fail')]).status,
    ).toBe('no-blocker-found');
    const waived = upgradeReadiness([
      finding('pdb-allows-upgrade-drain', 'waived'),
      finding('node-image-current', 'fail'),
      finding('container-run-as-non-root', 'fail'),
    ]);
    expect(waived.status).toBe('blocked');
    expect(waived.blockers.map(f => f.ruleId)).toEqual([
      'pdb-allows-upgrade-drain',
    ]);
    expect(waived.advisories.map(f => f.ruleId)).toEqual([
      'node-image-current',
    ]);
  });

  it('is unknown when a blocking rule could not decide', () => {
    expect(
      upgradeReadiness([finding('istio-revision-supported', 'unknown')]).status,
    ).toBe('unknown');
  });

  it('reads an evaluation: a PDB that refuses every eviction blocks', () => {
    const result = evaluate(
      makeSnapshot({
        objects: [
          kubeObject('PodDisruptionBudget', 'web', 'shop', {
            maxUnavailable: 0,
            selector: { matchLabels: { app: 'web' } },
          }),
        ],
      }),
      { rules: RULE_CATALOG },
    );
    const readiness = upgradeReadiness(result.findings);
    expect(readiness.status).toBe('blocked');
    expect(readiness.blockers[0].resource).toMatchObject({
      kind: 'PodDisruptionBudget',
      name: 'web',
    });
  });
});
