/*
 * Azure findings carry the az command with the cluster's real names, and
 * the version rules the next version the snapshot's data offers.
 */
import { RULE_CATALOG } from '..';
import { evaluateRule } from '../../testUtils';
import { ManagedClusterModel } from '../../engine/types';
import { compliantCluster, pool, snapshotOf } from './test-models';
import {
  kubernetesVersionSupported,
  nodePoolVersionMatchesControlPlane,
} from './version';

const NAMES =
  '--subscription 6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21 --resource-group rg-payments-prod-krc';

/** A production cluster with most settings the baseline asks for turned off. */
function neglectedCluster(): ManagedClusterModel {
  const mc = compliantCluster();
  return {
    ...mc,
    tags: { Environment: 'Production' },
    identity: undefined,
    servicePrincipalProfile: { clientId: 'abc' },
    aadProfile: undefined,
    disableLocalAccounts: false,
    enableRBAC: true,
    securityProfile: {},
    oidcIssuerProfile: { enabled: false },
    addonProfiles: {},
    networkProfile: { networkPlugin: 'kubenet', loadBalancerSku: 'basic' },
    apiServerAccessProfile: {},
    autoUpgradeProfile: { upgradeChannel: 'none' },
    autoScalerProfile: { 'scale-down-delay-after-add': '2m' },
    powerState: { code: 'Stopped' },
    agentPoolProfiles: [
      pool({
        name: 'system',
        mode: 'System',
        availabilityZones: [],
        count: 1,
        enableAutoScaling: false,
        minCount: undefined,
        maxCount: undefined,
      }),
      pool({
        name: 'apps',
        enableAutoScaling: false,
        availabilityZones: ['1'],
        type: 'AvailabilitySet',
        vmSize: 'Standard_B4ms',
        currentOrchestratorVersion: '1.32.7',
        orchestratorVersion: '1.32',
      }),
    ],
  } as ManagedClusterModel;
}

describe('Azure fixes', () => {
  it('name the real subscription, resource group, cluster and pool, never a placeholder variable', () => {
    const snapshot = snapshotOf(neglectedCluster(), {
      maintenanceConfigurations: [],
    });
    const commands: string[] = [];
    const failing: string[] = [];
    const problems: string[] = [];
    for (const rule of RULE_CATALOG) {
      if (rule.source !== 'arm' || rule.manual) continue;
      for (const outcome of evaluateRule(rule, snapshot, {
        profile: 'production',
      })) {
        if (outcome.status !== 'fail') continue;
        failing.push(rule.id);
        const fix = outcome.fix;
        if (rule.fixUnavailable) {
          if (fix) problems.push(`${rule.id}: a fix despite fixUnavailable`);
        } else if (!fix) {
          problems.push(`${rule.id}: no fix`);
        } else if (fix.kind === 'command') {
          commands.push(fix.command);
        } else if (fix.kind !== 'manual') {
          problems.push(`${rule.id}: a ${fix.kind} fix`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(commands.filter(c => /\$[A-Z_]/.test(c))).toEqual([]);
    const azAks = commands.filter(c => c.startsWith('az aks'));
    expect(azAks.filter(c => !c.includes(NAMES))).toEqual([]);
    expect(
      azAks.filter(
        c =>
          !/--name aks-payments-prod|--cluster-name aks-payments-prod/.test(c),
      ),
    ).toEqual([]);
    // Most of the Azure rules fail on this cluster: the loop saw them.
    expect(failing.length).toBeGreaterThanOrEqual(20);
    expect(commands).toContain(
      `az aks nodepool update ${NAMES} --cluster-name aks-payments-prod --name system --node-taints CriticalAddonsOnly=true:NoSchedule`,
    );
    expect(commands).toContain(
      `az aks update ${NAMES} --name aks-payments-prod --enable-defender`,
    );
  });

  it('CL-02: the node pool goes to the control plane version read', () => {
    const [, apps] = evaluateRule(
      nodePoolVersionMatchesControlPlane,
      snapshotOf(neglectedCluster()),
    );
    expect(apps.fix).toEqual({
      kind: 'command',
      command: `az aks nodepool upgrade ${NAMES} --cluster-name aks-payments-prod --name apps --kubernetes-version 1.33.5`,
      summary: "Upgrade node pool apps to the control plane's 1.33.5",
    });
  });

  describe('CL-01: the next version from the data the snapshot carries', () => {
    const behind = () => {
      const mc = compliantCluster();
      mc.currentKubernetesVersion = '1.31.9';
      mc.kubernetesVersion = '1.31';
      return mc;
    };
    const fixWith = (extra: object) =>
      evaluateRule(kubernetesVersionSupported, snapshotOf(behind(), extra))[0];

    it('from the available versions: the next GA minor at its newest patch', () => {
      const o = fixWith({
        kubernetesVersions: [
          { version: '1.35', isPreview: true },
          { version: '1.34', patchVersions: { '1.34.1': {}, '1.34.2': {} } },
          { version: '1.33', patchVersions: { '1.33.3': {} } },
          {
            version: '1.32',
            patchVersions: { '1.32.7': {}, '1.32.10': {}, '1.32.9': {} },
          },
        ],
      });
      expect(o.status).toBe('fail');
      expect(o.fix).toMatchObject({
        kind: 'command',
        command: `az aks upgrade ${NAMES} --name aks-payments-prod --kubernetes-version 1.32.10 --control-plane-only`,
      });
      expect(o.fix).not.toHaveProperty('adapt');
    });

    it('from the upgrade profile when no list was read', () => {
      const o = fixWith({
        upgradeProfile: {
          controlPlaneProfile: {
            kubernetesVersion: '1.31.9',
            upgrades: [
              { kubernetesVersion: '1.33.1' },
              { kubernetesVersion: '1.32.4' },
              { kubernetesVersion: '1.32.6' },
              { kubernetesVersion: '1.34.0', isPreview: true },
            ],
          },
        },
      });
      expect(o.status).toBe('fail');
      expect((o.fix as { command: string }).command).toContain(
        '--kubernetes-version 1.32.6 --control-plane-only',
      );
    });

    it('an example to adapt, never a hard-coded version, when neither was read', () => {
      const o = evaluateRule(kubernetesVersionSupported, snapshotOf(behind()), {
        params: { minimumKubernetesVersion: '1.33' },
      })[0];
      expect(o.status).toBe('fail');
      expect(o.fix).toMatchObject({
        kind: 'command',
        command: `az aks upgrade ${NAMES} --name aks-payments-prod --kubernetes-version <the next minor listed by az aks get-upgrades> --control-plane-only`,
        adapt: expect.stringMatching(/get-upgrades/),
      });
    });
  });
});
