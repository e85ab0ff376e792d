import { evaluateRule, outcomeFor } from '../../testUtils';
import { KubernetesVersionModel } from '../../engine/types';
import { compliantCluster, poolNamed, snapshotOf } from './test-models';
import {
  kubernetesVersionSupported,
  nodePoolVersionMatchesControlPlane,
} from './version';

const VERSIONS: KubernetesVersionModel[] = [
  {
    version: '1.35',
    isPreview: true,
    capabilities: { supportPlan: ['KubernetesOfficial'] },
  },
  {
    version: '1.34',
    capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] },
  },
  {
    version: '1.33',
    isDefault: true,
    capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] },
  },
  {
    version: '1.32',
    capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] },
  },
  { version: '1.31', capabilities: { supportPlan: ['AKSLongTermSupport'] } },
];

function withVersion(version: string) {
  const mc = compliantCluster();
  mc.currentKubernetesVersion = version;
  mc.kubernetesVersion = version.split('.').slice(0, 2).join('.');
  return mc;
}

describe('kubernetes-version-supported (CL-01)', () => {
  it('passes one minor behind the newest GA minor (the preview minor does not count)', () => {
    const [o] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(compliantCluster(), { kubernetesVersions: VERSIONS }),
    );
    expect(o.status).toBe('pass');
  });

  it('fails two minors behind the newest GA minor, naming the source', () => {
    const [o] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.32.9'), { kubernetesVersions: VERSIONS }),
    );
    expect(o.status).toBe('fail');
    expect(o.message).toContain('2 minors behind the newest GA minor 1.34');
    expect(o.message).toContain('listKubernetesVersions');
    expect(o.evidence?.[0]).toEqual({
      path: 'currentKubernetesVersion',
      value: '1.32.9',
      expected: '1.33 or newer',
    });
  });

  it('fails a minor that is no longer in the list', () => {
    const [o] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.29.4'), { kubernetesVersions: VERSIONS }),
    );
    expect(o.status).toBe('fail');
    expect(o.message).toContain('no longer supported');
    expect(o.evidence?.[0]).toMatchObject({
      path: 'currentKubernetesVersion',
      value: '1.29.4',
    });
  });

  it('fails an LTS-only minor on a cluster without the LTS plan', () => {
    const [o] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.31.11'), { kubernetesVersions: VERSIONS }),
    );
    expect(o.status).toBe('fail');
    expect(o.message).toContain('Long Term Support');
  });

  it('falls back to the upgrade profile, then to a configured minimum', () => {
    const upgradeProfile = {
      controlPlaneProfile: {
        kubernetesVersion: '1.28.9',
        upgrades: [
          { kubernetesVersion: '1.31.11' },
          { kubernetesVersion: '1.32.0', isPreview: true },
        ],
      },
    };
    const [viaProfile] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.28.9'), { upgradeProfile }),
    );
    expect(viaProfile.status).toBe('fail');
    expect(viaProfile.message).toContain('3 minors behind 1.31');
    expect(viaProfile.message).toContain('upgrade profile');

    const [viaMinimum] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.30.14')),
      { params: { minimumKubernetesVersion: '1.31' } },
    );
    expect(viaMinimum.status).toBe('fail');
    expect(viaMinimum.message).toContain('minimumKubernetesVersion');
    expect(viaMinimum.evidence).toEqual([
      {
        path: 'currentKubernetesVersion',
        value: '1.30.14',
        expected: '1.31 or newer',
      },
    ]);

    const [atMinimum] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.30.14')),
      { params: { minimumKubernetesVersion: '1.30' } },
    );
    expect(atMinimum.status).toBe('pass');
  });

  it('is unknown, not judged against a built-in constant, without version data', () => {
    // Before: a stale built-in minimum (1.31) passed 1.31 forever and failed
    // anything older, whatever AKS supported at the time.
    const [o] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.31.2')),
    );
    expect(o.status).toBe('unknown');
    expect(o.message).toContain('listKubernetesVersions');
    expect(o.message).toContain('minimumKubernetesVersion');
  });

  it('with only the upgrade profile: current when no newer minor is offered, unknown when the next one is', () => {
    const profile = (upgrades: object[]) => ({
      controlPlaneProfile: { kubernetesVersion: '1.33.5', upgrades },
    });
    const [current] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.33.5'), {
        upgradeProfile: profile([
          { kubernetesVersion: '1.33.6' },
          { kubernetesVersion: '1.34.1', isPreview: true },
        ]),
      }),
    );
    expect(current.status).toBe('pass');
    const [next] = evaluateRule(
      kubernetesVersionSupported,
      snapshotOf(withVersion('1.33.5'), {
        upgradeProfile: profile([{ kubernetesVersion: '1.34.1' }]),
      }),
    );
    expect(next.status).toBe('unknown');
    expect(next.message).toContain('offers 1.34');
  });

  it('is unknown when the cluster reports no version', () => {
    const mc = compliantCluster();
    delete mc.currentKubernetesVersion;
    delete mc.kubernetesVersion;
    const [o] = evaluateRule(kubernetesVersionSupported, snapshotOf(mc));
    expect(o.status).toBe('unknown');
  });
});

describe('node-pool-version-matches-control-plane (CL-02)', () => {
  it('passes pools on the control plane version', () => {
    const outcomes = evaluateRule(
      nodePoolVersionMatchesControlPlane,
      snapshotOf(compliantCluster()),
    );
    expect(outcomes).toHaveLength(4);
    expect(outcomes.every(o => o.status === 'pass')).toBe(true);
  });

  it('fails a pool left on an older minor, with the pool path', () => {
    const mc = compliantCluster();
    const app = poolNamed(mc, 'apppool');
    app.currentOrchestratorVersion = '1.32.9';
    app.orchestratorVersion = '1.32';
    const outcomes = evaluateRule(
      nodePoolVersionMatchesControlPlane,
      snapshotOf(mc),
    );
    const o = outcomeFor(outcomes, 'apppool');
    expect(o.status).toBe('fail');
    expect(o.message).toContain('different minor');
    expect(o.evidence).toEqual([
      {
        path: 'agentPoolProfiles[1].currentOrchestratorVersion',
        value: '1.32.9',
        expected: '1.33.5',
      },
    ]);
    expect(outcomeFor(outcomes, 'systempool').status).toBe('pass');
  });

  it('fails a patch lag and compares minors when only a minor is known', () => {
    const mc = compliantCluster();
    poolNamed(mc, 'spotpool').currentOrchestratorVersion = '1.33.3';
    const gpu = poolNamed(mc, 'gpupool');
    delete gpu.currentOrchestratorVersion; // REST example documents omit it
    const outcomes = evaluateRule(
      nodePoolVersionMatchesControlPlane,
      snapshotOf(mc),
    );
    expect(outcomeFor(outcomes, 'spotpool')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('different patch'),
    });
    expect(outcomeFor(outcomes, 'gpupool').status).toBe('pass');
  });
});
