import { evaluateRule, outcomeFor } from '../../testUtils';
import {
  gpuPoolTaintedAndScalable,
  poolAvailabilityZones,
  poolVirtualMachineScaleSets,
  productionNoBurstableVms,
  productionPoolMinCount,
  spotPoolConfigured,
  systemPoolDedicated,
  userPoolAutoscaler,
  userPoolPresent,
} from './node-pools';
import { compliantCluster, pool, poolNamed, snapshotOf } from './test-models';

function statuses(outcomes: { ref: { name: string }; status: string }[]) {
  return Object.fromEntries(outcomes.map(o => [o.ref.name, o.status]));
}

describe('user-pool-autoscaler-enabled (CL-03)', () => {
  it('applies to User pools only, and passes autoscaled ones', () => {
    expect(
      statuses(
        evaluateRule(userPoolAutoscaler, snapshotOf(compliantCluster())),
      ),
    ).toEqual({
      systempool: 'not-applicable',
      apppool: 'pass',
      spotpool: 'pass',
      gpupool: 'pass',
    });
  });

  it('fails a fixed-size User pool, in every profile', () => {
    const mc = compliantCluster();
    const app = poolNamed(mc, 'apppool');
    app.enableAutoScaling = false;
    delete app.minCount;
    delete app.maxCount;
    for (const profile of ['production', 'non-production'] as const) {
      const o = outcomeFor(
        evaluateRule(userPoolAutoscaler, snapshotOf(mc), { profile }),
        'apppool',
      );
      expect(o.status).toBe('fail');
      expect(o.evidence).toEqual([
        {
          path: 'agentPoolProfiles[1].enableAutoScaling',
          value: false,
          expected: 'true',
        },
      ]);
    }
  });

  it('treats the first pool as System when no pool reports a mode (old API versions)', () => {
    const mc = compliantCluster();
    mc.agentPoolProfiles = [
      pool({ name: 'nodepool1', mode: undefined, enableAutoScaling: false }),
      pool({ name: 'nodepool2', mode: undefined, enableAutoScaling: false }),
    ];
    expect(statuses(evaluateRule(userPoolAutoscaler, snapshotOf(mc)))).toEqual({
      nodepool1: 'not-applicable',
      nodepool2: 'fail',
    });
  });
});

describe('production-pool-min-count (CL-03)', () => {
  it('passes production User pools with minCount 3; GPU and Spot pools are exempt', () => {
    expect(
      statuses(
        evaluateRule(productionPoolMinCount, snapshotOf(compliantCluster())),
      ),
    ).toEqual({
      systempool: 'not-applicable',
      apppool: 'pass',
      spotpool: 'not-applicable',
      gpupool: 'not-applicable',
    });
  });

  it('fails a production pool that can shrink to 1 node; does not apply outside production', () => {
    const mc = compliantCluster();
    poolNamed(mc, 'apppool').minCount = 1;
    const o = outcomeFor(
      evaluateRule(productionPoolMinCount, snapshotOf(mc)),
      'apppool',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Production node pool apppool can shrink to 1 node(s) (minCount)',
    );
    expect(o.evidence).toEqual([
      { path: 'agentPoolProfiles[1].minCount', value: 1, expected: '>= 3' },
    ]);
    mc.tags = { Environment: 'Development', Owner: 'DevOps' };
    expect(
      outcomeFor(
        evaluateRule(productionPoolMinCount, snapshotOf(mc)),
        'apppool',
      ).status,
    ).toBe('not-applicable');
  });

  it('reads count when the autoscaler is off', () => {
    const mc = compliantCluster();
    const app = poolNamed(mc, 'apppool');
    app.enableAutoScaling = false;
    app.count = 2;
    expect(
      outcomeFor(
        evaluateRule(productionPoolMinCount, snapshotOf(mc)),
        'apppool',
      ).evidence,
    ).toEqual([
      { path: 'agentPoolProfiles[1].count', value: 2, expected: '>= 3' },
    ]);
  });
});

describe('node-pool-availability-zones (CL-09)', () => {
  it('passes pools in zones 1 2 3 and fails unzoned or single-zone pools', () => {
    const mc = compliantCluster();
    poolNamed(mc, 'apppool').availabilityZones = ['1'];
    poolNamed(mc, 'spotpool').availabilityZones = null as any; // az prints null
    const outcomes = evaluateRule(poolAvailabilityZones, snapshotOf(mc));
    expect(statuses(outcomes)).toEqual({
      systempool: 'pass',
      apppool: 'fail',
      spotpool: 'fail',
      gpupool: 'pass',
    });
    expect(outcomeFor(outcomes, 'apppool').evidence).toEqual([
      {
        path: 'agentPoolProfiles[1].availabilityZones',
        value: ['1'],
        expected: '["1","2","3"]',
      },
    ]);
  });
});

describe('node-pool-vmss (CL-11)', () => {
  it('passes scale sets, fails availability sets, unknown when not reported', () => {
    const mc = compliantCluster();
    poolNamed(mc, 'apppool').type = 'AvailabilitySet';
    delete poolNamed(mc, 'gpupool').type;
    const outcomes = evaluateRule(poolVirtualMachineScaleSets, snapshotOf(mc));
    expect(statuses(outcomes)).toEqual({
      systempool: 'pass',
      apppool: 'fail',
      spotpool: 'pass',
      gpupool: 'unknown',
    });
    expect(outcomeFor(outcomes, 'apppool').message).toBe(
      'Node pool apppool is of type AvailabilitySet',
    );
  });
});

describe('system-pool-dedicated (CL-13)', () => {
  it('passes a tainted, zoned system pool of 3', () => {
    expect(
      statuses(
        evaluateRule(systemPoolDedicated, snapshotOf(compliantCluster())),
      ),
    ).toEqual({
      systempool: 'pass',
      apppool: 'not-applicable',
      spotpool: 'not-applicable',
      gpupool: 'not-applicable',
    });
  });

  it('lists every problem of an untainted, unzoned 2-node production system pool', () => {
    const mc = compliantCluster();
    const sys = poolNamed(mc, 'systempool');
    sys.nodeTaints = null as any;
    sys.availabilityZones = null as any;
    sys.enableAutoScaling = false;
    sys.count = 2;
    const o = outcomeFor(
      evaluateRule(systemPoolDedicated, snapshotOf(mc)),
      'systempool',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'System node pool systempool: not tainted CriticalAddonsOnly=true:NoSchedule; not zoned; 2 node(s) (count)',
    );
    expect(o.evidence?.map(e => e.path)).toEqual([
      'agentPoolProfiles[0].nodeTaints',
      'agentPoolProfiles[0].availabilityZones',
      'agentPoolProfiles[0].count',
    ]);
    // Outside production the node count is not required.
    const dev = outcomeFor(
      evaluateRule(systemPoolDedicated, snapshotOf(mc), {
        profile: 'non-production',
      }),
      'systempool',
    );
    expect(dev.evidence).toHaveLength(2);
  });
});

describe('user-node-pool-present (CL-13)', () => {
  it('passes with a User pool and fails with System pools only', () => {
    expect(
      evaluateRule(userPoolPresent, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const mc = compliantCluster();
    mc.agentPoolProfiles = [pool({ name: 'nodepool1', mode: 'System' })];
    const [o] = evaluateRule(userPoolPresent, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.evidence).toEqual([
      {
        path: 'agentPoolProfiles[].mode',
        value: ['System'],
        expected: 'at least one User pool',
      },
    ]);
  });
});

describe('gpu-pool-tainted-scale-to-zero (CL-14)', () => {
  it('applies to N-series pools only and passes a tainted pool scaling to zero', () => {
    expect(
      statuses(
        evaluateRule(gpuPoolTaintedAndScalable, snapshotOf(compliantCluster())),
      ),
    ).toEqual({
      systempool: 'not-applicable',
      apppool: 'not-applicable',
      spotpool: 'not-applicable',
      gpupool: 'pass',
    });
  });

  it('fails an untainted GPU pool with a floor of 1', () => {
    const mc = compliantCluster();
    const gpu = poolNamed(mc, 'gpupool');
    gpu.nodeTaints = ['workload=ml:PreferNoSchedule'];
    gpu.minCount = 1;
    const o = outcomeFor(
      evaluateRule(gpuPoolTaintedAndScalable, snapshotOf(mc)),
      'gpupool',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'GPU node pool gpupool (Standard_NC4as_T4_v3): not tainted sku=gpu:NoSchedule; cannot scale to zero',
    );
    expect(o.evidence).toEqual([
      {
        path: 'agentPoolProfiles[3].nodeTaints',
        value: ['workload=ml:PreferNoSchedule'],
        expected: 'sku=gpu:NoSchedule',
      },
      { path: 'agentPoolProfiles[3].minCount', value: 1, expected: '0' },
    ]);
  });
});

describe('spot-pool-tainted-delete-eviction (CL-15)', () => {
  it('passes a tainted Spot pool with Delete eviction', () => {
    expect(
      outcomeFor(
        evaluateRule(spotPoolConfigured, snapshotOf(compliantCluster())),
        'spotpool',
      ).status,
    ).toBe('pass');
  });

  it('fails Deallocate eviction and a missing taint', () => {
    const mc = compliantCluster();
    const spot = poolNamed(mc, 'spotpool');
    spot.scaleSetEvictionPolicy = 'Deallocate';
    spot.nodeTaints = [];
    const o = outcomeFor(
      evaluateRule(spotPoolConfigured, snapshotOf(mc)),
      'spotpool',
    );
    expect(o.status).toBe('fail');
    expect(o.evidence).toEqual([
      {
        path: 'agentPoolProfiles[2].nodeTaints',
        value: [],
        expected: 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule',
      },
      {
        path: 'agentPoolProfiles[2].scaleSetEvictionPolicy',
        value: 'Deallocate',
        expected: 'Delete',
      },
    ]);
  });
});

describe('production-pool-no-burstable-vms (CL-18)', () => {
  it('fails a B-series pool in production only', () => {
    const mc = compliantCluster();
    poolNamed(mc, 'apppool').vmSize = 'Standard_B4ms';
    const outcomes = evaluateRule(productionNoBurstableVms, snapshotOf(mc));
    expect(statuses(outcomes)).toEqual({
      systempool: 'pass',
      apppool: 'fail',
      spotpool: 'pass',
      gpupool: 'pass',
    });
    expect(outcomeFor(outcomes, 'apppool').evidence?.[0]).toMatchObject({
      path: 'agentPoolProfiles[1].vmSize',
      value: 'Standard_B4ms',
    });
    const dev = evaluateRule(productionNoBurstableVms, snapshotOf(mc), {
      profile: 'non-production',
    });
    expect(outcomeFor(dev, 'apppool').status).toBe('not-applicable');
  });
});
