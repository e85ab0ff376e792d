import { evaluateRule } from '../../testUtils';
import {
  azureRbacEnabled,
  defenderEnabled,
  entraIdIntegration,
  kubernetesRbacEnabled,
  localAccountsDisabled,
  managedIdentity,
} from './access';
import { compliantCluster, snapshotOf } from './test-models';

describe('cluster-managed-identity (CL-04)', () => {
  it('passes a system-assigned identity', () => {
    expect(
      evaluateRule(managedIdentity, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
  });

  it('passes an older cluster that only reports clientId msi', () => {
    const mc = compliantCluster();
    delete mc.identity;
    expect(evaluateRule(managedIdentity, snapshotOf(mc))[0].status).toBe(
      'pass',
    );
  });

  it('fails a service principal cluster', () => {
    const mc = compliantCluster();
    delete mc.identity;
    mc.servicePrincipalProfile = {
      clientId: 'e4b7c2d9-1a3f-4e6b-9c8d-0f2a4b6c8e1f',
    };
    const [o] = evaluateRule(managedIdentity, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'The cluster authenticates to Azure with a service principal',
    );
    expect(o.evidence).toEqual([
      {
        path: 'identity.type',
        value: undefined,
        expected: 'SystemAssigned or UserAssigned',
      },
      {
        path: 'servicePrincipalProfile.clientId',
        value: 'e4b7c2d9-1a3f-4e6b-9c8d-0f2a4b6c8e1f',
        expected: 'msi',
      },
    ]);
  });
});

describe('cluster-entra-id-integration (CL-05)', () => {
  it('passes managed Entra ID with an admin group', () => {
    expect(
      evaluateRule(entraIdIntegration, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
  });

  it('fails without aadProfile, with legacy AAD, and without admin groups', () => {
    const none = compliantCluster();
    delete none.aadProfile;
    expect(evaluateRule(entraIdIntegration, snapshotOf(none))[0]).toMatchObject(
      {
        status: 'fail',
        message: 'Microsoft Entra ID integration is not enabled',
      },
    );

    const legacy = compliantCluster();
    legacy.aadProfile = { managed: false, adminGroupObjectIDs: [] };
    expect(
      evaluateRule(entraIdIntegration, snapshotOf(legacy))[0],
    ).toMatchObject({
      status: 'fail',
      evidence: [
        { path: 'aadProfile.managed', value: false, expected: 'true' },
      ],
    });

    const noGroup = compliantCluster();
    noGroup.aadProfile!.adminGroupObjectIDs = [];
    const [o] = evaluateRule(entraIdIntegration, snapshotOf(noGroup));
    expect(o.status).toBe('fail');
    expect(o.evidence?.[0].path).toBe('aadProfile.adminGroupObjectIDs');
  });
});

describe('kubernetes-rbac-enabled (CL-06)', () => {
  it('passes with RBAC on, also spelled as az prints it', () => {
    expect(
      evaluateRule(kubernetesRbacEnabled, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
    const az = compliantCluster();
    delete az.enableRBAC;
    az.enableRbac = true;
    expect(evaluateRule(kubernetesRbacEnabled, snapshotOf(az))[0].status).toBe(
      'pass',
    );
  });

  it('fails with RBAC off (the REST example cluster)', () => {
    const mc = compliantCluster();
    mc.enableRBAC = false;
    expect(evaluateRule(kubernetesRbacEnabled, snapshotOf(mc))[0]).toEqual(
      expect.objectContaining({
        status: 'fail',
        message: 'Kubernetes RBAC is disabled',
        evidence: [{ path: 'enableRBAC', value: false, expected: 'true' }],
      }),
    );
  });

  it('is unknown when not reported', () => {
    const mc = compliantCluster();
    delete mc.enableRBAC;
    expect(evaluateRule(kubernetesRbacEnabled, snapshotOf(mc))[0].status).toBe(
      'unknown',
    );
  });
});

describe('azure-rbac-for-kubernetes (CL-06)', () => {
  it('passes with Azure RBAC (SDK and REST spellings)', () => {
    expect(
      evaluateRule(azureRbacEnabled, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const rest = compliantCluster();
    rest.aadProfile = {
      managed: true,
      enableAzureRBAC: true,
      adminGroupObjectIDs: ['x'],
    };
    expect(evaluateRule(azureRbacEnabled, snapshotOf(rest))[0].status).toBe(
      'pass',
    );
  });

  it('fails without Azure RBAC', () => {
    const mc = compliantCluster();
    mc.aadProfile!.enableAzureRbac = false;
    expect(evaluateRule(azureRbacEnabled, snapshotOf(mc))[0]).toMatchObject({
      status: 'fail',
      message: 'Azure RBAC for Kubernetes authorization is not enabled',
      evidence: [
        { path: 'aadProfile.enableAzureRbac', value: false, expected: 'true' },
      ],
    });
    const noAad = compliantCluster();
    delete noAad.aadProfile;
    expect(
      evaluateRule(azureRbacEnabled, snapshotOf(noAad))[0].message,
    ).toContain('needs Entra ID');
  });
});

describe('local-accounts-disabled (CL-07)', () => {
  it('passes when disabled and fails when enabled or unset', () => {
    expect(
      evaluateRule(localAccountsDisabled, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
    const mc = compliantCluster();
    mc.disableLocalAccounts = false;
    expect(
      evaluateRule(localAccountsDisabled, snapshotOf(mc))[0],
    ).toMatchObject({
      status: 'fail',
      evidence: [
        { path: 'disableLocalAccounts', value: false, expected: 'true' },
      ],
    });
    delete mc.disableLocalAccounts;
    expect(evaluateRule(localAccountsDisabled, snapshotOf(mc))[0].status).toBe(
      'fail',
    );
  });
});

describe('defender-for-containers-enabled (CL-08)', () => {
  it('passes with security monitoring and fails without the defender profile', () => {
    expect(
      evaluateRule(defenderEnabled, snapshotOf(compliantCluster()))[0].status,
    ).toBe('pass');
    const mc = compliantCluster();
    mc.securityProfile = { workloadIdentity: { enabled: true } };
    expect(evaluateRule(defenderEnabled, snapshotOf(mc))[0]).toMatchObject({
      status: 'fail',
      evidence: [
        {
          path: 'securityProfile.defender.securityMonitoring.enabled',
          value: undefined,
          expected: 'true',
        },
      ],
    });
  });
});
