import { kubeObject, evaluateRule } from '../../testUtils';
import { compliantCluster, snapshotOf } from '../cluster/test-models';
import {
  apiServerAccessRestricted,
  azureCniInProduction,
  azureCniOverlay,
  managedIngress,
  networkPolicyEngine,
} from './arm';

describe('azure-cni-in-production (NW-01)', () => {
  it('passes Azure CNI and fails kubenet in production', () => {
    expect(
      evaluateRule(azureCniInProduction, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
    const mc = compliantCluster();
    mc.networkProfile = {
      networkPlugin: 'kubenet',
      loadBalancerSku: 'standard',
    };
    expect(evaluateRule(azureCniInProduction, snapshotOf(mc))[0]).toMatchObject(
      {
        status: 'fail',
        message:
          'This production cluster uses kubenet, which is for dev/test only',
        evidence: [
          {
            path: 'networkProfile.networkPlugin',
            value: 'kubenet',
            expected: 'azure',
          },
        ],
      },
    );
  });

  it('accepts kubenet outside production', () => {
    const mc = compliantCluster();
    mc.networkProfile = { networkPlugin: 'kubenet' };
    mc.tags = { Environment: 'Development', Owner: 'DevOps' };
    expect(evaluateRule(azureCniInProduction, snapshotOf(mc))[0].status).toBe(
      'not-applicable',
    );
  });
});

describe('azure-cni-overlay (NW-01)', () => {
  it('passes Overlay, and Azure CNI with dynamic pod subnets', () => {
    expect(
      evaluateRule(azureCniOverlay, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const mc = compliantCluster();
    delete mc.networkProfile!.networkPluginMode;
    mc.agentPoolProfiles![1].podSubnetID =
      '/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/v/subnets/pods';
    expect(evaluateRule(azureCniOverlay, snapshotOf(mc))[0].status).toBe(
      'pass',
    );
  });

  it('fails classic node-subnet Azure CNI', () => {
    const mc = compliantCluster();
    delete mc.networkProfile!.networkPluginMode;
    const [o] = evaluateRule(azureCniOverlay, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.message).toContain('classic (node subnet) mode');
    expect(o.evidence?.[1]).toEqual({
      path: 'networkProfile.networkPluginMode',
      value: undefined,
      expected: 'overlay',
    });
  });
});

describe('network-policy-engine-enabled (NW-02)', () => {
  it.each(['azure', 'calico', 'cilium', 'Calico'])('passes %s', policy => {
    const mc = compliantCluster();
    mc.networkProfile = { networkPlugin: 'azure', networkPolicy: policy };
    expect(evaluateRule(networkPolicyEngine, snapshotOf(mc))[0].status).toBe(
      'pass',
    );
  });

  it('passes the Cilium dataplane even when networkPolicy is not reported', () => {
    const mc = compliantCluster();
    mc.networkProfile = {
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkDataplane: 'cilium',
    };
    expect(evaluateRule(networkPolicyEngine, snapshotOf(mc))[0].status).toBe(
      'pass',
    );
  });

  it('fails none and an absent engine', () => {
    const mc = compliantCluster();
    mc.networkProfile = { networkPlugin: 'kubenet', networkPolicy: 'none' };
    const [o] = evaluateRule(networkPolicyEngine, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'No network policy engine is enabled: NetworkPolicies are not enforced',
    );
    expect(o.evidence?.[0]).toEqual({
      path: 'networkProfile.networkPolicy',
      value: 'none',
      expected: 'azure, calico or cilium',
    });
    delete mc.networkProfile.networkPolicy;
    expect(evaluateRule(networkPolicyEngine, snapshotOf(mc))[0].status).toBe(
      'fail',
    );
  });
});

describe('managed-ingress-addon (NW-07)', () => {
  it('passes the application routing add-on or AGIC', () => {
    expect(
      evaluateRule(managedIngress, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const mc = compliantCluster();
    delete mc.ingressProfile;
    mc.addonProfiles!.ingressapplicationgateway = {
      enabled: true,
      config: {
        applicationGatewayName: 'myApplicationGateway',
        subnetCIDR: '10.2.0.0/16',
      },
    };
    expect(evaluateRule(managedIngress, snapshotOf(mc))[0].status).toBe('pass');
  });

  it('defers to the in-cluster rule when IngressClasses were read', () => {
    const mc = compliantCluster();
    delete mc.ingressProfile;
    const [o] = evaluateRule(
      managedIngress,
      snapshotOf(mc, {
        objects: [
          kubeObject('IngressClass', 'nginx', undefined, {
            controller: 'k8s.io/ingress-nginx',
          }),
        ],
      }),
    );
    expect(o.status).toBe('not-applicable');
    expect(o.message).toContain('ingress-class-present');
  });

  it('is unknown, never a failure, from ARM alone: a Helm-installed controller is invisible there', () => {
    const mc = compliantCluster();
    mc.ingressProfile = { webAppRouting: { enabled: false } };
    // The backend's ARM-only source and a CLI scan with only --aks.
    const [o] = evaluateRule(
      managedIngress,
      snapshotOf(mc, { coverage: { mode: 'manifests', providedKinds: [] } }),
    );
    expect(o.status).toBe('unknown');
    expect(o.message).toContain('installed with Helm');
    expect(o.evidence?.[0]).toEqual({
      path: 'ingressProfile.webAppRouting.enabled',
      value: false,
      expected: 'true',
    });
    // IngressClasses unreadable: the same.
    const [unreadable] = evaluateRule(
      managedIngress,
      snapshotOf(mc, { coverage: { unreadable: { IngressClass: '403' } } }),
    );
    expect(unreadable.status).toBe('unknown');
    expect(unreadable.message).toContain('403');
    expect(managedIngress.severity).toBe('low');
  });
});

describe('api-server-access-restricted (NW-08)', () => {
  it('passes authorized ranges (SDK and az spellings) and a private cluster', () => {
    expect(
      evaluateRule(apiServerAccessRestricted, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
    const az = compliantCluster();
    az.apiServerAccessProfile = {
      authorizedIpRanges: ['203.0.113.0/24'],
    } as any;
    expect(
      evaluateRule(apiServerAccessRestricted, snapshotOf(az))[0].status,
    ).toBe('pass');
    const priv = compliantCluster();
    priv.apiServerAccessProfile = {
      enablePrivateCluster: true,
      privateDNSZone: 'system',
    };
    expect(
      evaluateRule(apiServerAccessRestricted, snapshotOf(priv))[0].status,
    ).toBe('pass');
  });

  it('fails a public API server without ranges', () => {
    const mc = compliantCluster();
    delete mc.apiServerAccessProfile;
    const [o] = evaluateRule(apiServerAccessRestricted, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'The API server is public and accepts connections from any IP address',
    );
    expect(apiServerAccessRestricted.severity).toBe('critical');
  });

  it('fails 0.0.0.0/0 among the authorized ranges', () => {
    const mc = compliantCluster();
    mc.apiServerAccessProfile = {
      enablePrivateCluster: false,
      authorizedIPRanges: ['203.0.113.0/24', '0.0.0.0/0'],
    };
    const [o] = evaluateRule(apiServerAccessRestricted, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.message).toContain('0.0.0.0/0');
    expect(o.evidence).toEqual([
      {
        path: 'apiServerAccessProfile.authorizedIPRanges',
        value: ['203.0.113.0/24', '0.0.0.0/0'],
        expected: 'specific ranges, never 0.0.0.0/0',
      },
    ]);
  });
});
