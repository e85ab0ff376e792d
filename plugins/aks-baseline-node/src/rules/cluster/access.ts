/*
 * Identity and access to the cluster: CL-04 (managed identity), CL-05 (Entra
 * ID integration), CL-06 (RBAC, Azure RBAC), CL-07 (local accounts),
 * CL-08 (Defender for Containers).
 */
import { PASS, fail, unknown } from '../../engine/outcomes';
import { ArmClusterRule } from '../../engine/rule';
import { azClusterArguments } from '../../engine/fixes';
import { AZ_CLUSTER, eqi, pick, pickKey } from './helpers';
import { azCommand, fillIn, manualFix } from '../shared/fixes';

export const managedIdentity: ArmClusterRule = {
  id: 'cluster-managed-identity',
  baselineRef: 'CL-04',
  category: 'cluster',
  severity: 'high',
  title: 'Cluster uses a managed identity, not a service principal',
  rationale:
    'A service principal has a secret that expires and must be rotated by hand; a managed identity has no credential to leak or forget.',
  remediation: {
    summary: 'Move the cluster to a managed identity.',
    command: `az aks update ${AZ_CLUSTER} --enable-managed-identity`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => [
        `az aks update ${n} --enable-managed-identity`,
        `az aks upgrade ${n} --node-image-only`,
      ],
      `Move ${c.name} to a managed identity`,
      'Grant the new identity the roles the service principal had (subnet, registry, DNS) before the nodes move to it',
    ),
  check(c) {
    const mc = c.managedCluster;
    const type = mc.identity?.type;
    if (eqi(type, 'systemassigned') || eqi(type, 'userassigned')) return PASS;
    const clientId = mc.servicePrincipalProfile?.clientId;
    // Clusters created with a managed identity report the client id `msi`.
    if (eqi(clientId, 'msi')) return PASS;
    return fail(
      clientId
        ? 'The cluster authenticates to Azure with a service principal'
        : 'The cluster has no managed identity',
      [
        {
          path: 'identity.type',
          value: type,
          expected: 'SystemAssigned or UserAssigned',
        },
        {
          path: 'servicePrincipalProfile.clientId',
          value: clientId,
          expected: 'msi',
        },
      ],
    );
  },
};

export const entraIdIntegration: ArmClusterRule = {
  id: 'cluster-entra-id-integration',
  baselineRef: 'CL-05',
  category: 'cluster',
  severity: 'high',
  title: 'Microsoft Entra ID (AAD) integration with an admin group',
  rationale:
    'With Entra ID, people sign in with their corporate identity (MFA, conditional access, leavers removed centrally), and cluster-admin is granted to a group instead of a shared certificate.',
  remediation: {
    summary: 'Enable AKS-managed Entra ID integration with an admin group.',
    command: `az aks update ${AZ_CLUSTER} --enable-aad --aad-admin-group-object-ids $AAD_GROUP_ID`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n =>
        `az aks update ${n} --enable-aad --aad-admin-group-object-ids ${fillIn(
          'object id of the cluster admin group',
        )}`,
      `Enable AKS-managed Entra ID on ${c.name}`,
      'Fill in the object id of the Entra ID group of cluster admins',
    ),
  check(c) {
    const mc = c.managedCluster;
    const aad = mc.aadProfile;
    if (!aad) {
      return fail('Microsoft Entra ID integration is not enabled', [
        {
          path: 'aadProfile',
          value: undefined,
          expected: 'managed Entra ID profile',
        },
      ]);
    }
    if (aad.managed !== true) {
      return fail(
        'The cluster uses the legacy (non-managed) Azure AD integration',
        [{ path: 'aadProfile.managed', value: aad.managed, expected: 'true' }],
      );
    }
    const groups = aad.adminGroupObjectIDs;
    if (!Array.isArray(groups) || groups.length === 0) {
      return fail('Entra ID is enabled but no admin group is configured', [
        {
          path: 'aadProfile.adminGroupObjectIDs',
          value: groups,
          expected: 'at least one group object id',
        },
      ]);
    }
    return PASS;
  },
};

export const kubernetesRbacEnabled: ArmClusterRule = {
  id: 'kubernetes-rbac-enabled',
  baselineRef: 'CL-06',
  category: 'cluster',
  severity: 'critical',
  title: 'Kubernetes RBAC is enabled',
  rationale:
    'Without RBAC every authenticated identity can do anything in the cluster; it cannot be turned on afterwards, so the cluster must be rebuilt.',
  remediation: {
    summary:
      'Kubernetes RBAC cannot be enabled on an existing cluster: create a new cluster (RBAC is on by default) with Azure RBAC and migrate the workloads.',
    command: `az aks create ${AZ_CLUSTER} --enable-managed-identity --enable-aad --aad-admin-group-object-ids $AAD_GROUP_ID --enable-azure-rbac`,
  },
  scope: 'cluster',
  source: 'arm',
  fixUnavailable:
    'Kubernetes RBAC is set when a cluster is created and cannot be turned on later: the workloads move to a new cluster created with it.',
  check(c) {
    const mc = c.managedCluster;
    // Readers normalise `enableRbac` (az) to `enableRBAC`; read both anyway.
    const rbac = pick(mc, 'enableRBAC', 'enableRbac');
    if (rbac === true) return PASS;
    if (rbac === undefined)
      return unknown(
        'The cluster does not report whether Kubernetes RBAC is enabled',
        [{ path: 'enableRBAC', value: undefined }],
      );
    return fail('Kubernetes RBAC is disabled', [
      {
        path: pickKey(mc, 'enableRBAC', 'enableRbac'),
        value: rbac,
        expected: 'true',
      },
    ]);
  },
};

export const azureRbacEnabled: ArmClusterRule = {
  id: 'azure-rbac-for-kubernetes',
  baselineRef: 'CL-06',
  category: 'cluster',
  severity: 'medium',
  title: 'Azure RBAC is used for Kubernetes authorization',
  rationale:
    'Azure RBAC manages cluster permissions as Azure role assignments, audited and reviewed with the rest of the estate instead of in per-cluster bindings.',
  remediation: {
    summary:
      'Enable Azure RBAC for Kubernetes authorization (requires Entra ID).',
    command: `az aks update ${AZ_CLUSTER} --enable-azure-rbac`,
  },
  scope: 'cluster',
  source: 'arm',
  fix(c) {
    if (c.managedCluster.aadProfile?.managed !== true) {
      return manualFix(
        'Enable AKS-managed Entra ID integration first (cluster-entra-id-integration): Azure RBAC for Kubernetes needs it.',
      );
    }
    return azCommand(
      c.managedCluster,
      n => `az aks update ${n} --enable-azure-rbac`,
      `Use Azure RBAC for Kubernetes authorization on ${c.name}`,
    );
  },
  check(c) {
    const mc = c.managedCluster;
    const aad = mc.aadProfile;
    const azureRbac = pick(aad, 'enableAzureRbac', 'enableAzureRBAC');
    if (azureRbac === true) return PASS;
    return fail(
      aad
        ? 'Azure RBAC for Kubernetes authorization is not enabled'
        : 'Azure RBAC needs Entra ID integration, which is not enabled',
      [
        {
          path: `aadProfile.${pickKey(
            aad,
            'enableAzureRbac',
            'enableAzureRBAC',
          )}`,
          value: azureRbac,
          expected: 'true',
        },
      ],
    );
  },
};

export const localAccountsDisabled: ArmClusterRule = {
  id: 'local-accounts-disabled',
  baselineRef: 'CL-07',
  category: 'cluster',
  severity: 'medium',
  title: 'Local accounts are disabled',
  rationale:
    'The local cluster-admin certificate (`az aks get-credentials --admin`) bypasses Entra ID and its audit trail; once Entra ID is in place it should not exist.',
  remediation: {
    summary:
      'Disable local accounts (Entra ID integration must be enabled first).',
    command: `az aks update ${AZ_CLUSTER} --disable-local-accounts`,
  },
  scope: 'cluster',
  source: 'arm',
  check(c) {
    const mc = c.managedCluster;
    if (mc.disableLocalAccounts === true) return PASS;
    return fail(
      'Local accounts are enabled: the admin certificate bypasses Entra ID',
      [
        {
          path: 'disableLocalAccounts',
          value: mc.disableLocalAccounts,
          expected: 'true',
        },
      ],
    );
  },
  // AKS refuses to disable local accounts without AKS-managed Entra ID.
  fix(c) {
    if (c.managedCluster.aadProfile?.managed !== true) {
      return {
        kind: 'manual',
        reason:
          'Enable AKS-managed Entra ID integration first (cluster-entra-id-integration): AKS refuses to disable local accounts without it.',
      };
    }
    const names = azClusterArguments(c.managedCluster);
    return names
      ? {
          kind: 'command',
          command: `az aks update ${names} --disable-local-accounts`,
          summary: `Disable local accounts on ${c.name}`,
        }
      : undefined;
  },
};

export const defenderEnabled: ArmClusterRule = {
  id: 'defender-for-containers-enabled',
  baselineRef: 'CL-08',
  category: 'cluster',
  severity: 'medium',
  title: 'Microsoft Defender for Containers is enabled',
  rationale:
    'Defender adds runtime threat detection and vulnerability assessment of the images running in the cluster.',
  remediation: {
    summary: 'Enable the Defender profile on the cluster.',
    command: `az aks update ${AZ_CLUSTER} --enable-defender`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks update ${n} --enable-defender`,
      `Enable Microsoft Defender for Containers on ${c.name}`,
    ),
  check(c) {
    const mc = c.managedCluster;
    const enabled = mc.securityProfile?.defender?.securityMonitoring?.enabled;
    if (enabled === true) return PASS;
    return fail('Microsoft Defender for Containers is not enabled', [
      {
        path: 'securityProfile.defender.securityMonitoring.enabled',
        value: enabled,
        expected: 'true',
      },
    ]);
  },
};
