import { evaluateRule } from '../../testUtils';
import { compliantCluster, snapshotOf } from '../cluster/test-models';
import {
  keyVaultSecretsProvider,
  noPodIdentityAddon,
  workloadIdentityEnabled,
} from './arm';

describe('workload-identity-enabled (ID-01)', () => {
  it('passes with the OIDC issuer and Workload Identity', () => {
    expect(
      evaluateRule(workloadIdentityEnabled, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
  });

  it('fails with only the OIDC issuer', () => {
    const mc = compliantCluster();
    mc.securityProfile = {};
    const [o] = evaluateRule(workloadIdentityEnabled, snapshotOf(mc));
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Workload Identity is not usable: Workload Identity is not enabled',
    );
    expect(o.evidence?.[1]).toEqual({
      path: 'securityProfile.workloadIdentity.enabled',
      value: undefined,
      expected: 'true',
    });
  });

  it('fails with neither', () => {
    const mc = compliantCluster();
    mc.oidcIssuerProfile = { enabled: false };
    mc.securityProfile = {};
    expect(
      evaluateRule(workloadIdentityEnabled, snapshotOf(mc))[0].message,
    ).toContain('the OIDC issuer and Workload Identity are not enabled');
  });
});

describe('pod-identity-addon-disabled (ID-02)', () => {
  it('passes without pod identity and fails with it enabled', () => {
    expect(
      evaluateRule(noPodIdentityAddon, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
    const mc = compliantCluster();
    mc.podIdentityProfile = { enabled: true, allowNetworkPluginKubenet: true };
    expect(evaluateRule(noPodIdentityAddon, snapshotOf(mc))[0]).toMatchObject({
      status: 'fail',
      evidence: [
        {
          path: 'podIdentityProfile.enabled',
          value: true,
          expected: 'false or absent',
        },
      ],
    });
  });
});

describe('keyvault-secrets-provider-rotation (ID-05)', () => {
  it('passes the add-on with rotation', () => {
    expect(
      evaluateRule(keyVaultSecretsProvider, snapshotOf(compliantCluster()))[0]
        .status,
    ).toBe('pass');
  });

  it('finds the add-on under its REST spelling too', () => {
    const mc = compliantCluster();
    const addon = mc.addonProfiles!.azurekeyvaultsecretsprovider;
    delete mc.addonProfiles!.azurekeyvaultsecretsprovider;
    mc.addonProfiles!.azureKeyvaultSecretsProvider = addon;
    expect(
      evaluateRule(keyVaultSecretsProvider, snapshotOf(mc))[0].status,
    ).toBe('pass');
  });

  it('fails without rotation', () => {
    const mc = compliantCluster();
    mc.addonProfiles!.azurekeyvaultsecretsprovider.config = {
      enableSecretRotation: 'false',
    };
    expect(
      evaluateRule(keyVaultSecretsProvider, snapshotOf(mc))[0],
    ).toMatchObject({
      status: 'fail',
      message:
        'The Key Vault Secrets Store CSI driver is enabled without secret rotation',
      evidence: [
        {
          path: 'addonProfiles.azurekeyvaultsecretsprovider.config.enableSecretRotation',
          value: 'false',
          expected: '"true"',
        },
      ],
    });
  });

  it('fails without the add-on', () => {
    const mc = compliantCluster();
    delete mc.addonProfiles!.azurekeyvaultsecretsprovider;
    expect(
      evaluateRule(keyVaultSecretsProvider, snapshotOf(mc))[0],
    ).toMatchObject({
      status: 'fail',
      message: 'The Key Vault Secrets Store CSI driver add-on is not enabled',
    });
  });
});
