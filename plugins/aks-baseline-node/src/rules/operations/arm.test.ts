import { evaluateRule, evaluateRuleDetailed } from '../../testUtils';
import { compliantCluster, snapshotOf } from '../cluster/test-models';
import {
  azurePolicyAddon,
  clusterRunning,
  containerInsights,
  controlPlaneDiagnostics,
  managedPrometheus,
} from './arm';

describe('container-insights-enabled (OP-01)', () => {
  it('passes the omsagent add-on, or Container Insights in azureMonitorProfile', () => {
    expect(
      evaluateRule(containerInsights, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const mc = compliantCluster();
    delete mc.addonProfiles!.omsagent;
    (mc.azureMonitorProfile as any).containerInsights = {
      enabled: true,
      logAnalyticsWorkspaceResourceId:
        '/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/z',
    };
    expect(evaluateRule(containerInsights, snapshotOf(mc))[0].status).toBe(
      'pass',
    );
  });

  it('fails a disabled monitoring add-on', () => {
    const mc = compliantCluster();
    mc.addonProfiles!.omsagent = { enabled: false, config: {} };
    const [o] = evaluateRule(containerInsights, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.evidence?.[0]).toEqual({
      path: 'addonProfiles.omsagent.enabled',
      value: false,
      expected: 'true',
    });
  });
});

describe('managed-prometheus-enabled (OP-02)', () => {
  it('passes metrics enabled and fails when absent', () => {
    expect(
      evaluateRule(managedPrometheus, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const mc = compliantCluster();
    mc.azureMonitorProfile = { metrics: null as any }; // as az prints it
    expect(evaluateRule(managedPrometheus, snapshotOf(mc))[0]).toMatchObject({
      status: 'fail',
      evidence: [
        {
          path: 'azureMonitorProfile.metrics.enabled',
          value: undefined,
          expected: 'true',
        },
      ],
    });
  });
});

describe('azure-policy-addon-enabled (OP-03)', () => {
  it('passes the add-on and fails without it', () => {
    expect(
      evaluateRule(azurePolicyAddon, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const mc = compliantCluster();
    delete mc.addonProfiles!.azurepolicy;
    expect(evaluateRule(azurePolicyAddon, snapshotOf(mc))[0]).toMatchObject({
      status: 'fail',
      message: 'The Azure Policy add-on is not enabled',
      evidence: [
        {
          path: 'addonProfiles.azurepolicy.enabled',
          value: undefined,
          expected: 'true',
        },
      ],
    });
  });
});

describe('control-plane-diagnostic-logs (OP-04)', () => {
  it('is a manual rule with a reason and the seed command', () => {
    expect(controlPlaneDiagnostics.manual?.reason).toContain(
      'diagnosticSettings',
    );
    expect(controlPlaneDiagnostics.check).toBeUndefined();
    expect(controlPlaneDiagnostics.remediation.command).toContain('kube-audit');
    const result = evaluateRuleDetailed(
      controlPlaneDiagnostics,
      snapshotOf(compliantCluster()),
    );
    expect(result.skipped).toContain('Manual rule');
  });
});

describe('cluster-power-state-running (OP-07)', () => {
  it('passes Running, fails Stopped, unknown when not reported', () => {
    expect(
      evaluateRule(clusterRunning, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const mc = compliantCluster();
    mc.powerState = { code: 'Stopped' };
    expect(evaluateRule(clusterRunning, snapshotOf(mc))[0]).toMatchObject({
      status: 'fail',
      message: 'The cluster is Stopped',
      evidence: [
        { path: 'powerState.code', value: 'Stopped', expected: 'Running' },
      ],
    });
    delete mc.powerState;
    expect(evaluateRule(clusterRunning, snapshotOf(mc))[0].status).toBe(
      'unknown',
    );
  });
});
