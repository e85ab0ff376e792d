/*
 * The ARM-sourced identity rules: ID-01 (OIDC issuer and Workload Identity),
 * ID-02 (no pod-managed identity add-on; the in-cluster half, pods labelled
 * `aadpodidbinding`, is a Kubernetes rule), ID-05 (Key Vault CSI driver with
 * rotation).
 */
import { PASS, fail } from '../../engine/outcomes';
import { ArmClusterRule, RuleDefinition } from '../../engine/rule';
import { AZ_CLUSTER, addonKey, addonProfile } from '../cluster/helpers';
import { azCommand } from '../shared/fixes';

export const workloadIdentityEnabled: ArmClusterRule = {
  id: 'workload-identity-enabled',
  baselineRef: 'ID-01',
  category: 'identity',
  severity: 'medium',
  title: 'OIDC issuer and Workload Identity are enabled',
  rationale:
    'Workload Identity lets pods obtain Entra ID tokens through federated credentials, with no secret in the cluster and no node-level identity to borrow.',
  remediation: {
    summary: 'Enable the OIDC issuer and Workload Identity.',
    command: `az aks update ${AZ_CLUSTER} --enable-oidc-issuer --enable-workload-identity`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks update ${n} --enable-oidc-issuer --enable-workload-identity`,
      `Enable the OIDC issuer and Workload Identity on ${c.name}`,
    ),
  check(c) {
    const mc = c.managedCluster;
    const oidc = mc.oidcIssuerProfile?.enabled;
    const wi = mc.securityProfile?.workloadIdentity?.enabled;
    if (oidc === true && wi === true) return PASS;
    let missing = 'Workload Identity is';
    if (oidc !== true)
      missing =
        wi === true
          ? 'the OIDC issuer is'
          : 'the OIDC issuer and Workload Identity are';
    return fail(`Workload Identity is not usable: ${missing} not enabled`, [
      { path: 'oidcIssuerProfile.enabled', value: oidc, expected: 'true' },
      {
        path: 'securityProfile.workloadIdentity.enabled',
        value: wi,
        expected: 'true',
      },
    ]);
  },
};

export const noPodIdentityAddon: ArmClusterRule = {
  id: 'pod-identity-addon-disabled',
  baselineRef: 'ID-02',
  category: 'identity',
  severity: 'high',
  title: 'The legacy pod-managed identity add-on is not enabled',
  rationale:
    'Pod-managed identity is deprecated: its NMI daemon intercepts IMDS traffic on every node, and any pod that can reach IMDS may obtain identities it was not meant to have.',
  remediation: {
    summary:
      'Move the workloads to Workload Identity, then disable pod-managed identity (the flag comes with the aks-preview extension).',
    command: [
      `az aks update ${AZ_CLUSTER} --enable-oidc-issuer --enable-workload-identity`,
      `az aks update ${AZ_CLUSTER} --disable-pod-identity`,
    ].join('\n'),
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks update ${n} --disable-pod-identity`,
      `Disable the pod-managed identity add-on on ${c.name}`,
      'Move the pods that use it to Workload Identity first (workload-no-pod-managed-identity lists them)',
    ),
  check(c) {
    const mc = c.managedCluster;
    const enabled = mc.podIdentityProfile?.enabled;
    if (enabled !== true) return PASS;
    return fail('The deprecated pod-managed identity add-on is enabled', [
      {
        path: 'podIdentityProfile.enabled',
        value: enabled,
        expected: 'false or absent',
      },
    ]);
  },
};

export const keyVaultSecretsProvider: ArmClusterRule = {
  id: 'keyvault-secrets-provider-rotation',
  baselineRef: 'ID-05',
  category: 'identity',
  severity: 'medium',
  title: 'Key Vault Secrets Store CSI driver is enabled with secret rotation',
  rationale:
    'The CSI driver mounts Key Vault secrets instead of copying them into Kubernetes Secrets; without rotation a secret changed in Key Vault stays stale in the pods.',
  remediation: {
    summary: 'Enable the azure-keyvault-secrets-provider add-on with rotation.',
    command: `az aks enable-addons ${AZ_CLUSTER} --addons azure-keyvault-secrets-provider --enable-secret-rotation`,
  },
  scope: 'cluster',
  source: 'arm',
  fix(c) {
    const enabled =
      addonProfile(c.managedCluster, 'azurekeyvaultsecretsprovider')
        ?.enabled === true;
    return azCommand(
      c.managedCluster,
      n =>
        enabled
          ? `az aks addon update ${n} --addon azure-keyvault-secrets-provider --enable-secret-rotation`
          : `az aks enable-addons ${n} --addons azure-keyvault-secrets-provider --enable-secret-rotation`,
      `${
        enabled ? 'Turn on secret rotation of' : 'Enable'
      } the Key Vault Secrets Store CSI driver on ${c.name}`,
    );
  },
  check(c) {
    const mc = c.managedCluster;
    const key = addonKey(mc, 'azurekeyvaultsecretsprovider');
    const addon = key === undefined ? undefined : mc.addonProfiles![key];
    const path = `addonProfiles.${key ?? 'azurekeyvaultsecretsprovider'}`;
    if (addon?.enabled !== true) {
      return fail(
        'The Key Vault Secrets Store CSI driver add-on is not enabled',
        [{ path: `${path}.enabled`, value: addon?.enabled, expected: 'true' }],
      );
    }
    const rotation = addon.config?.enableSecretRotation;
    // ARM returns add-on config values as strings.
    if (rotation === 'true' || (rotation as unknown) === true) return PASS;
    return fail(
      'The Key Vault Secrets Store CSI driver is enabled without secret rotation',
      [
        {
          path: `${path}.config.enableSecretRotation`,
          value: rotation,
          expected: '"true"',
        },
      ],
    );
  },
};

export const identityArmRules: RuleDefinition[] = [
  workloadIdentityEnabled,
  noPodIdentityAddon,
  keyVaultSecretsProvider,
];
