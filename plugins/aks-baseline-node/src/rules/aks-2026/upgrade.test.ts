import {
  evaluateRule,
  kubeObject,
  makeSnapshot,
  outcomeFor,
} from '../../testUtils';
import { exampleCluster, PREMIUM, snapshotFrom } from './test-snapshots';
import {
  apiVersionServedInTarget,
  nodeImageCurrent,
  nodeImageDate,
  pdbAllowsUpgradeDrain,
} from './upgrade';

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

describe('node-image-current (AX-14)', () => {
  const pools = (nodeImageVersion: string | undefined) =>
    snapshotFrom(
      exampleCluster(PREMIUM, p => {
        p.agentPoolProfiles[0].nodeImageVersion = nodeImageVersion;
      }),
    );

  it('reads the build date of Linux node image versions', () => {
    expect(
      nodeImageDate('AKSUbuntu-2204gen2containerd-202510.03.0')?.toISOString(),
    ).toBe('2025-10-03T00:00:00.000Z');
    expect(nodeImageDate('AKSUbuntu:1604:2020.03.11')?.toISOString()).toBe(
      '2020-03-11T00:00:00.000Z',
    );
    expect(nodeImageDate('AKSWindows-2022-containerd-20348.2762.241009')).toBe(
      undefined,
    );
  });

  it('fails an image older than the parameter, with the node image upgrade', () => {
    const now = new Date('2026-12-02T00:00:00Z');
    expect(
      evaluateRule(
        nodeImageCurrent,
        pools('AKSUbuntu-2204gen2containerd-202609.01.0'),
        { now },
      )[0],
    ).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('built 92 days ago'),
      fix: {
        command: expect.stringMatching(/--name nodepool1 --node-image-only$/),
      },
    });
    expect(
      evaluateRule(
        nodeImageCurrent,
        pools('AKSUbuntu-2204gen2containerd-202609.01.0'),
        { now, params: { maxNodeImageAgeDays: 120 } },
      )[0].status,
    ).toBe('pass');
    // The published example's image (2020) is old; an unreadable one is unknown.
    expect(
      evaluateRule(
        nodeImageCurrent,
        pools('AKSWindows-2022-containerd-20348.2762.241009'),
        { now },
      )[0].status,
    ).toBe('unknown');
  });
});

describe('api-version-served-in-target (AX-14)', () => {
  const manifests = () =>
    makeSnapshot({
      coverage: { mode: 'manifests' },
      objects: [
        kubeObject(
          'PodDisruptionBudget',
          'web',
          'shop',
          { maxUnavailable: 1 },
          {
            apiVersion: 'policy/v1beta1',
          },
        ),
        kubeObject(
          'HorizontalPodAutoscaler',
          'web',
          'shop',
          {},
          {
            apiVersion: 'autoscaling/v2beta2',
          },
        ),
        kubeObject('Ingress', 'web', 'shop', {}),
      ],
    });

  it('is not applicable without a target', () => {
    const outcomes = evaluateRule(apiVersionServedInTarget, manifests());
    expect(outcomes.every(o => o.status === 'not-applicable')).toBe(true);
  });

  it('fails what the target minor no longer serves, and only that', () => {
    const at125 = evaluateRule(apiVersionServedInTarget, manifests(), {
      params: { targetKubernetesVersion: '1.25' },
    });
    expect(
      outcomeFor(at125, 'web', 'shop', 'PodDisruptionBudget'),
    ).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(
        'removed in Kubernetes 1.25: Kubernetes 1.25 refuses it. Use policy/v1.',
      ),
    });
    // autoscaling/v2beta2 goes in 1.26: still served by 1.25.
    expect(
      outcomeFor(at125, 'web', 'shop', 'HorizontalPodAutoscaler')?.status,
    ).toBe('not-applicable');
    const at133 = evaluateRule(apiVersionServedInTarget, manifests(), {
      params: { targetKubernetesVersion: '1.33' },
    });
    expect(
      outcomeFor(at133, 'web', 'shop', 'HorizontalPodAutoscaler')?.status,
    ).toBe('fail');
    expect(outcomeFor(at133, 'web', 'shop', 'Ingress')?.status).toBe(
      'not-applicable',
    );
  });
});
