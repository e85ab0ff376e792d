import { evaluateRule, kubeObject, makeSnapshot } from '../../testUtils';
import { pdbAllowsUpgradeDrain } from './upgrade';

function pdb(spec: object, status?: object) {
  return kubeObject(
    'PodDisruptionBudget',
    'web',
    'shop',
    {
      selector: { matchLabels: { app: 'web' } },
      ...spec,
    },
    status ? { status } : {},
  );
}

describe('pdb-allows-upgrade-drain (AX-14)', () => {
  it('fails budgets that refuse every eviction, with a patch', () => {
    for (const spec of [
      { maxUnavailable: 0 },
      { maxUnavailable: '0%' },
      { minAvailable: '100%' },
    ]) {
      const outcome = evaluateRule(
        pdbAllowsUpgradeDrain,
        makeSnapshot({ objects: [pdb(spec)] }),
      )[0];
      expect(outcome).toMatchObject({ status: 'fail', fix: { kind: 'patch' } });
    }
  });

  it('fails a budget the disruption controller reports as allowing nothing with every pod healthy', () => {
    const blocked = pdb(
      { minAvailable: 2 },
      {
        currentHealthy: 2,
        desiredHealthy: 2,
        disruptionsAllowed: 0,
        expectedPods: 2,
      },
    );
    expect(
      evaluateRule(
        pdbAllowsUpgradeDrain,
        makeSnapshot({ objects: [blocked] }),
      )[0],
    ).toMatchObject({
      status: 'fail',
      evidence: [
        { path: 'status.disruptionsAllowed', value: 0 },
        { path: 'status.desiredHealthy', value: 2 },
        { path: 'status.expectedPods', value: 2 },
      ],
    });
  });

  it('passes a budget that allows a disruption, and one blocked only because a pod is down', () => {
    const ok = pdb(
      { minAvailable: 2 },
      {
        currentHealthy: 3,
        desiredHealthy: 2,
        disruptionsAllowed: 1,
        expectedPods: 3,
      },
    );
    const degraded = pdb(
      { minAvailable: 2 },
      {
        currentHealthy: 2,
        desiredHealthy: 2,
        disruptionsAllowed: 0,
        expectedPods: 3,
      },
    );
    for (const object of [ok, degraded]) {
      expect(
        evaluateRule(
          pdbAllowsUpgradeDrain,
          makeSnapshot({ objects: [object] }),
        )[0].status,
      ).toBe('pass');
    }
  });
});
