import { evaluateRule } from '../../testUtils';
import {
  autoUpgradeChannel,
  autoscalerProfileTuned,
  durationSeconds,
  maintenanceWindow,
  requiredTags,
  standardLoadBalancer,
  windowsHybridBenefit,
} from './settings';
import { compliantCluster, pool, snapshotOf } from './test-models';

describe('standard-load-balancer-sku (CL-10)', () => {
  it('passes standard (any case) and fails basic', () => {
    expect(
      evaluateRule(standardLoadBalancer, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
    const mc = compliantCluster();
    mc.networkProfile!.loadBalancerSku = 'Standard';
    expect(evaluateRule(standardLoadBalancer, snapshotOf(mc))[0].status).toBe(
      'pass',
    );
    mc.networkProfile!.loadBalancerSku = 'basic';
    expect(evaluateRule(standardLoadBalancer, snapshotOf(mc))[0]).toMatchObject(
      {
        status: 'fail',
        message: 'The cluster uses the basic load balancer SKU',
        evidence: [
          {
            path: 'networkProfile.loadBalancerSku',
            value: 'basic',
            expected: 'standard',
          },
        ],
      },
    );
  });
});

describe('cluster-required-tags (CL-12)', () => {
  it('matches tag keys case-insensitively', () => {
    const mc = compliantCluster();
    mc.tags = { environment: 'prod', OWNER: 'orders-team' };
    expect(evaluateRule(requiredTags, snapshotOf(mc))[0].status).toBe('pass');
  });

  it('fails a missing Owner and an empty configured tag', () => {
    const mc = compliantCluster();
    mc.tags = { Environment: 'Production', CostCenter: ' ' };
    const [o] = evaluateRule(requiredTags, snapshotOf(mc), {
      params: { requiredTags: ['Environment', 'Owner', 'costcenter'] },
    });
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Missing or empty required tag(s): Owner, CostCenter',
    );
    expect(o.evidence).toEqual([
      { path: 'tags.Owner', value: undefined, expected: 'a non-empty value' },
      { path: 'tags.CostCenter', value: ' ', expected: 'a non-empty value' },
    ]);
  });

  it('fails a cluster without tags', () => {
    const mc = compliantCluster();
    delete mc.tags;
    expect(evaluateRule(requiredTags, snapshotOf(mc))[0].evidence).toHaveLength(
      2,
    );
  });
});

describe('auto-upgrade-channel-set (CL-16)', () => {
  it('passes stable with a node OS channel', () => {
    expect(
      evaluateRule(autoUpgradeChannel, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
  });

  it('fails an unset channel (az prints null) and a None node OS channel', () => {
    const mc = compliantCluster();
    mc.autoUpgradeProfile = {
      upgradeChannel: null as any,
      nodeOSUpgradeChannel: 'None',
    };
    const [o] = evaluateRule(autoUpgradeChannel, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Automatic upgrades are off: no auto-upgrade channel is set; node OS upgrade channel is None',
    );
    expect(o.evidence?.map(e => e.path)).toEqual([
      'autoUpgradeProfile.upgradeChannel',
      'autoUpgradeProfile.nodeOSUpgradeChannel',
    ]);
  });

  it('fails channel none, reading the az spelling of the node OS channel', () => {
    const mc = compliantCluster();
    mc.autoUpgradeProfile = {
      upgradeChannel: 'none',
      nodeOsUpgradeChannel: 'NodeImage',
    } as any;
    const [o] = evaluateRule(autoUpgradeChannel, snapshotOf(mc));
    expect(o).toMatchObject({
      status: 'fail',
      message: 'Automatic upgrades are off: auto-upgrade channel is none',
    });
    expect(o.evidence).toHaveLength(1);
  });
});

describe('planned-maintenance-window (CL-17)', () => {
  it('passes a default window with timeInWeek, or an aksManagedAutoUpgradeSchedule', () => {
    expect(
      evaluateRule(maintenanceWindow, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const [o] = evaluateRule(
      maintenanceWindow,
      snapshotOf(compliantCluster(), {
        maintenanceConfigurations: [
          {
            name: 'aksManagedAutoUpgradeSchedule',
            maintenanceWindow: {
              schedule: { weekly: { dayOfWeek: 'Sunday', intervalWeeks: 1 } },
              durationHours: 4,
              startTime: '01:00',
              utcOffset: '+09:00',
            },
          },
        ],
      }),
    );
    expect(o.status).toBe('pass');
  });

  it('is unknown when not read, fails when none is configured', () => {
    const notRead = snapshotOf(compliantCluster());
    delete notRead.maintenanceConfigurations;
    expect(evaluateRule(maintenanceWindow, notRead)[0].status).toBe('unknown');

    const [none] = evaluateRule(
      maintenanceWindow,
      snapshotOf(compliantCluster(), { maintenanceConfigurations: [] }),
    );
    expect(none).toMatchObject({
      status: 'fail',
      message: 'No planned maintenance window is configured',
    });

    const [empty] = evaluateRule(
      maintenanceWindow,
      snapshotOf(compliantCluster(), {
        maintenanceConfigurations: [{ name: 'default', timeInWeek: [] }],
      }),
    );
    expect(empty.status).toBe('fail');
    expect(empty.evidence?.[0].value).toEqual(['default']);
  });
});

describe('cluster-autoscaler-profile-tuned (CL-19)', () => {
  it('parses Go durations', () => {
    expect(durationSeconds('10m')).toBe(600);
    expect(durationSeconds('600s')).toBe(600);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('600')).toBe(600);
    expect(durationSeconds('ten')).toBeUndefined();
  });

  it('passes the camelCase (SDK, az) profile and an absent profile (AKS defaults)', () => {
    expect(
      evaluateRule(autoscalerProfileTuned, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
    const mc = compliantCluster();
    delete mc.autoScalerProfile;
    expect(evaluateRule(autoscalerProfileTuned, snapshotOf(mc))[0].status).toBe(
      'pass',
    );
  });

  it('reads the REST kebab-case keys and reports each deviation', () => {
    const mc = compliantCluster();
    mc.autoScalerProfile = {
      'scale-down-delay-after-add': '15m',
      'scale-down-unneeded-time': '600s',
      'scale-down-utilization-threshold': '0.6',
      'max-graceful-termination-sec': '600',
      'scan-interval': '10s',
    };
    const [o] = evaluateRule(autoscalerProfileTuned, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Cluster autoscaler profile differs from the baseline: scale-down-delay-after-add=15m, scale-down-utilization-threshold=0.6',
    );
    expect(o.evidence).toEqual([
      {
        path: 'autoScalerProfile.scale-down-delay-after-add',
        value: '15m',
        expected: '10m',
      },
      {
        path: 'autoScalerProfile.scale-down-utilization-threshold',
        value: '0.6',
        expected: '0.5',
      },
    ]);
  });

  it('fails a camelCase deviation and does not apply without autoscaled pools', () => {
    const mc = compliantCluster();
    mc.autoScalerProfile!.maxGracefulTerminationSec = '30';
    expect(
      evaluateRule(autoscalerProfileTuned, snapshotOf(mc))[0].evidence,
    ).toEqual([
      {
        path: 'autoScalerProfile.maxGracefulTerminationSec',
        value: '30',
        expected: '600',
      },
    ]);
    for (const p of mc.agentPoolProfiles!) p.enableAutoScaling = false;
    expect(evaluateRule(autoscalerProfileTuned, snapshotOf(mc))[0].status).toBe(
      'not-applicable',
    );
  });
});

describe('windows-azure-hybrid-benefit (CL-20)', () => {
  it('does not apply without Windows pools', () => {
    expect(
      evaluateRule(windowsHybridBenefit, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('not-applicable');
  });

  it('passes Windows_Server and fails without a licence type', () => {
    const mc = compliantCluster();
    mc.agentPoolProfiles!.push(
      pool({ name: 'win22', osType: 'Windows', osSKU: 'Windows2022' }),
    );
    mc.windowsProfile = {
      adminUsername: 'azureuser',
      licenseType: 'Windows_Server',
    };
    expect(evaluateRule(windowsHybridBenefit, snapshotOf(mc))[0].status).toBe(
      'pass',
    );
    mc.windowsProfile = { adminUsername: 'azureuser', licenseType: 'None' };
    expect(evaluateRule(windowsHybridBenefit, snapshotOf(mc))[0]).toMatchObject(
      {
        status: 'fail',
        evidence: [
          {
            path: 'windowsProfile.licenseType',
            value: 'None',
            expected: 'Windows_Server',
          },
        ],
      },
    );
  });
});
