/*
 * Cluster settings beyond the seed: AX-02 Image Cleaner, AX-03 KMS, AX-04
 * run command, AX-05 egress, AX-06 SLA tier, AX-07 node resource group
 * lockdown, AX-11 cost analysis, AX-13 the retired HTTP application
 * routing add-on. A field the document does not carry is unknown unless
 * the document's api-version carries it (then absent means off).
 */
import { fail, PASS } from '../../engine/outcomes';
import { ManagedClusterView } from '../../engine/types';
import { ArmClusterRule } from '../../engine/rule';
import { addonProfile, AZ_CLUSTER, eqi } from '../cluster/helpers';
import {
  azClusterFix,
  carriesFieldsOf,
  notCarried,
  requireTrue,
} from './helpers';

type Json = Record<string, any>;

function objectAt(value: unknown): Json | undefined {
  return value && typeof value === 'object' ? (value as Json) : undefined;
}

// ------------------------------------------------------------------ AX-02

const IMAGE_CLEANER_SINCE = '2023-10-01';

export const imageCleanerEnabled: ArmClusterRule = {
  id: 'image-cleaner-enabled',
  baselineRef: 'AX-02',
  category: 'images',
  severity: 'medium',
  title: 'Image Cleaner removes unused images from the nodes',
  rationale:
    'Images a node no longer runs stay on its disk with their vulnerabilities, fill the disk and show up in every scan; Image Cleaner (Eraser) removes the unused, vulnerable ones on a schedule.',
  remediation: {
    summary: 'Enable Image Cleaner (weekly, or more often).',
    command: `az aks update ${AZ_CLUSTER} --enable-image-cleaner --image-cleaner-interval-hours 168`,
  },
  scope: 'cluster',
  source: 'arm',
  check(c) {
    const cleaner = objectAt(
      objectAt(c.managedCluster.securityProfile)?.imageCleaner,
    );
    return requireTrue(c, cleaner?.enabled, {
      path: 'securityProfile.imageCleaner.enabled',
      since: IMAGE_CLEANER_SINCE,
      failure: 'Image Cleaner is not enabled: unused images stay on the nodes',
    });
  },
  fix: c =>
    azClusterFix(
      c.managedCluster,
      'update',
      '--enable-image-cleaner --image-cleaner-interval-hours 168',
      `Enable Image Cleaner on ${c.name}`,
    ),
};

// ------------------------------------------------------------------ AX-03

const KMS_SINCE = '2023-01-01';

function kmsOf(c: ManagedClusterView): Json | undefined {
  return objectAt(objectAt(c.managedCluster.securityProfile)?.azureKeyVaultKms);
}

export const etcdKmsEncryption: ArmClusterRule = {
  id: 'etcd-kms-encryption',
  baselineRef: 'AX-03',
  category: 'identity',
  severity: 'medium',
  title: 'Secrets in etcd are encrypted with a Key Vault key (KMS)',
  rationale:
    'With KMS, Kubernetes Secrets are encrypted in etcd with a key you hold in Azure Key Vault: you can rotate it, audit its use and revoke it.',
  remediation: {
    summary: 'Enable KMS etcd encryption with a Key Vault key.',
    command: `az aks update ${AZ_CLUSTER} --enable-azure-keyvault-kms --azure-keyvault-kms-key-id $KEY_ID --azure-keyvault-kms-key-vault-network-access Private --azure-keyvault-kms-key-vault-resource-id $KEY_VAULT_ID`,
  },
  scope: 'cluster',
  source: 'arm',
  check(c) {
    return requireTrue(c, kmsOf(c)?.enabled, {
      path: 'securityProfile.azureKeyVaultKms.enabled',
      since: KMS_SINCE,
      failure:
        'Secrets are encrypted in etcd with a platform key only: KMS with a Key Vault key is off',
    });
  },
  fix: c =>
    azClusterFix(
      c.managedCluster,
      'update',
      '--enable-azure-keyvault-kms --azure-keyvault-kms-key-id $KEY_ID --azure-keyvault-kms-key-vault-network-access Private --azure-keyvault-kms-key-vault-resource-id $KEY_VAULT_ID',
      `Enable KMS etcd encryption on ${c.name} (set KEY_ID and KEY_VAULT_ID to your key and vault)`,
    ),
};

export const kmsKeyVaultPrivate: ArmClusterRule = {
  id: 'kms-key-vault-private',
  baselineRef: 'AX-03',
  category: 'identity',
  severity: 'medium',
  title: 'The KMS key vault of a production cluster is private',
  rationale:
    'A key vault reachable from the internet is one network control less between an attacker and the key that protects every Secret; with Private network access AKS reaches it through a private endpoint.',
  remediation: {
    summary:
      'Use a private key vault for KMS (network access Private, with its resource id).',
    command: `az aks update ${AZ_CLUSTER} --azure-keyvault-kms-key-vault-network-access Private --azure-keyvault-kms-key-vault-resource-id $KEY_VAULT_ID`,
  },
  scope: 'cluster',
  source: 'arm',
  appliesTo: {
    profiles: ['production'],
    when: c => kmsOf(c)?.enabled === true,
  },
  check(c) {
    const access = kmsOf(c)?.keyVaultNetworkAccess;
    const path = 'securityProfile.azureKeyVaultKms.keyVaultNetworkAccess';
    if (eqi(access, 'private')) return PASS;
    // Public is the default: absent from a document that carries KMS means Public.
    return fail(
      `The KMS key vault is reachable from public networks (${
        access ?? 'Public, the default'
      })`,
      [{ path, value: access, expected: 'Private' }],
    );
  },
  fix: c =>
    azClusterFix(
      c.managedCluster,
      'update',
      '--azure-keyvault-kms-key-vault-network-access Private --azure-keyvault-kms-key-vault-resource-id $KEY_VAULT_ID',
      `Make the KMS key vault of ${c.name} private (set KEY_VAULT_ID to the vault's resource id)`,
    ),
};

// ------------------------------------------------------------------ AX-04

const RUN_COMMAND_SINCE = '2022-04-01';

export const runCommandDisabled: ArmClusterRule = {
  id: 'run-command-disabled',
  baselineRef: 'AX-04',
  category: 'cluster',
  severity: 'medium',
  title: 'Run command (az aks command invoke) is disabled in production',
  rationale:
    "Run command executes kubectl in the cluster with the caller's ARM permission alone, from outside the private network: a way around the API server's network restrictions.",
  remediation: {
    summary: 'Disable run command.',
    command: `az aks update ${AZ_CLUSTER} --disable-run-command`,
  },
  scope: 'cluster',
  source: 'arm',
  appliesTo: { profiles: ['production'] },
  check(c) {
    const disabled = objectAt(
      c.managedCluster.apiServerAccessProfile,
    )?.disableRunCommand;
    return requireTrue(c, disabled, {
      path: 'apiServerAccessProfile.disableRunCommand',
      since: RUN_COMMAND_SINCE,
      failure: 'Run command (az aks command invoke) is enabled',
    });
  },
  fix: c =>
    azClusterFix(
      c.managedCluster,
      'update',
      '--disable-run-command',
      `Disable run command on ${c.name}`,
    ),
};

// ------------------------------------------------------------------ AX-05

/** Outbound types that send egress through something the team controls (or nowhere). */
const CONTROLLED_EGRESS = [
  'userdefinedrouting',
  'managednatgateway',
  'userassignednatgateway',
  'none',
  'block',
];

export const egressControlled: ArmClusterRule = {
  id: 'egress-controlled',
  baselineRef: 'AX-05',
  category: 'networking',
  severity: 'medium',
  title:
    'Production egress goes through a firewall (UDR) or NAT gateway, not the default load balancer',
  rationale:
    'Through the load balancer every pod reaches any internet address from shared, changing IPs; a firewall route filters and logs egress, a NAT gateway gives stable IPs and SNAT capacity.',
  remediation: {
    summary:
      'Route egress through Azure Firewall (userDefinedRouting) or a NAT gateway.',
    command: `az aks update ${AZ_CLUSTER} --outbound-type managedNATGateway`,
  },
  scope: 'cluster',
  source: 'arm',
  appliesTo: { profiles: ['production'] },
  check(c) {
    const type = c.managedCluster.networkProfile?.outboundType;
    const path = 'networkProfile.outboundType';
    if (
      typeof type === 'string' &&
      CONTROLLED_EGRESS.includes(type.toLowerCase())
    )
      return PASS;
    if (type === undefined)
      return notCarried(
        c,
        path,
        '2020-01-01',
        'userDefinedRouting or a NAT gateway',
      );
    return fail(
      `Egress leaves through the ${type} outbound type: not filtered by a firewall nor through a NAT gateway`,
      [
        {
          path,
          value: type,
          expected:
            'userDefinedRouting, managedNATGateway or userAssignedNATGateway',
        },
      ],
    );
  },
  fix: c =>
    azClusterFix(
      c.managedCluster,
      'update',
      '--outbound-type managedNATGateway',
      `Send ${c.name}'s egress through a managed NAT gateway (or userDefinedRouting to your firewall)`,
    ),
};

// ------------------------------------------------------------------ AX-06

export const uptimeSlaTier: ArmClusterRule = {
  id: 'uptime-sla-tier',
  baselineRef: 'AX-06',
  category: 'cluster',
  severity: 'medium',
  title: 'Production clusters run the Standard or Premium tier (uptime SLA)',
  rationale:
    'The Free tier has no financially backed SLA for the API server and fewer control plane resources; Standard gives 99.95% with zones, and is needed for cost analysis and long-term support.',
  remediation: {
    summary: 'Move the cluster to the Standard tier.',
    command: `az aks update ${AZ_CLUSTER} --tier standard`,
  },
  scope: 'cluster',
  source: 'arm',
  appliesTo: { profiles: ['production'] },
  check(c) {
    const tier = c.managedCluster.sku?.tier;
    if (eqi(tier, 'standard') || eqi(tier, 'premium') || eqi(tier, 'paid'))
      return PASS;
    if (tier === undefined)
      return notCarried(c, 'sku.tier', '2020-09-01', 'Standard or Premium');
    return fail(`The cluster runs the ${tier} tier: no uptime SLA`, [
      { path: 'sku.tier', value: tier, expected: 'Standard or Premium' },
    ]);
  },
  fix: c =>
    azClusterFix(
      c.managedCluster,
      'update',
      '--tier standard',
      `Move ${c.name} to the Standard tier`,
    ),
};

// ------------------------------------------------------------------ AX-07

const NRG_LOCKDOWN_SINCE = '2025-07-01';

export const nodeResourceGroupLocked: ArmClusterRule = {
  id: 'node-resource-group-locked',
  baselineRef: 'AX-07',
  category: 'cluster',
  severity: 'medium',
  title: 'The node resource group is locked (ReadOnly)',
  rationale:
    'Changes made by hand to the VM scale sets, disks or load balancers of the node resource group drift from what AKS expects and break upgrades; ReadOnly lets only AKS change them.',
  remediation: {
    summary: 'Set the node resource group restriction level to ReadOnly.',
    command: `az aks update ${AZ_CLUSTER} --nrg-restriction-level ReadOnly`,
  },
  scope: 'cluster',
  source: 'arm',
  check(c) {
    const level = objectAt(
      c.managedCluster.nodeResourceGroupProfile,
    )?.restrictionLevel;
    const path = 'nodeResourceGroupProfile.restrictionLevel';
    if (eqi(level, 'readonly')) return PASS;
    if (level === undefined && !carriesFieldsOf(c, NRG_LOCKDOWN_SINCE))
      return notCarried(c, path, NRG_LOCKDOWN_SINCE, 'ReadOnly');
    return fail(
      `Anyone with rights on the node resource group can change the nodes' resources (${
        level ?? 'Unrestricted, the default'
      })`,
      [{ path, value: level, expected: 'ReadOnly' }],
    );
  },
  fix: c =>
    azClusterFix(
      c.managedCluster,
      'update',
      '--nrg-restriction-level ReadOnly',
      `Lock the node resource group of ${c.name}`,
    ),
};

// ------------------------------------------------------------------ AX-11

const COST_ANALYSIS_SINCE = '2024-05-01';

export const costAnalysisEnabled: ArmClusterRule = {
  id: 'cost-analysis-enabled',
  baselineRef: 'AX-11',
  category: 'operations',
  severity: 'low',
  title: 'The cost analysis add-on breaks costs down by namespace and workload',
  rationale:
    'Without it the bill shows node VMs only; the add-on attributes costs to namespaces and workloads so teams see what they spend. It needs the Standard or Premium tier.',
  remediation: {
    summary: 'Enable cost analysis.',
    command: `az aks update ${AZ_CLUSTER} --enable-cost-analysis`,
  },
  scope: 'cluster',
  source: 'arm',
  appliesTo: {
    when: c =>
      eqi(c.managedCluster.sku?.tier, 'standard') ||
      eqi(c.managedCluster.sku?.tier, 'premium'),
  },
  check(c) {
    const enabled = objectAt(
      objectAt(c.managedCluster.metricsProfile)?.costAnalysis,
    )?.enabled;
    return requireTrue(c, enabled, {
      path: 'metricsProfile.costAnalysis.enabled',
      since: COST_ANALYSIS_SINCE,
      failure: 'The cost analysis add-on is not enabled',
    });
  },
  fix: c =>
    azClusterFix(
      c.managedCluster,
      'update',
      '--enable-cost-analysis',
      `Enable cost analysis on ${c.name}`,
    ),
};

// ------------------------------------------------------------------ AX-13

export const httpApplicationRoutingOff: ArmClusterRule = {
  id: 'http-application-routing-off',
  baselineRef: 'AX-13',
  category: 'networking',
  severity: 'high',
  title: 'The retired HTTP application routing add-on is off',
  rationale:
    'HTTP application routing was retired (March 2025): it gets no fixes and was never meant for production (a public DNS zone, no TLS). The application routing add-on (managed NGINX) or Gateway API replaces it.',
  remediation: {
    summary:
      'Enable the application routing add-on, move the Ingresses to its class, then disable HTTP application routing.',
    command: [
      `az aks approuting enable ${AZ_CLUSTER}`,
      `az aks disable-addons ${AZ_CLUSTER} --addons http_application_routing`,
    ].join('\n'),
  },
  scope: 'cluster',
  source: 'arm',
  check(c) {
    // addonProfiles lists the add-ons configured on the cluster in every
    // api-version: an add-on not there is off.
    const addon = addonProfile(c.managedCluster, 'httpapplicationrouting');
    if (addon?.enabled !== true) return PASS;
    const webAppRouting =
      c.managedCluster.ingressProfile?.webAppRouting?.enabled;
    return fail(
      `The retired HTTP application routing add-on is enabled${
        webAppRouting === true
          ? ' (next to the application routing add-on)'
          : ''
      }`,
      [
        {
          path: 'addonProfiles.httpApplicationRouting.enabled',
          value: true,
          expected: 'false',
        },
        { path: 'ingressProfile.webAppRouting.enabled', value: webAppRouting },
      ],
    );
  },
  fix(c) {
    const enable = azClusterFix(c.managedCluster, 'approuting enable', '', '');
    const disable = azClusterFix(
      c.managedCluster,
      'disable-addons',
      '--addons http_application_routing',
      '',
    );
    if (
      !enable ||
      enable.kind !== 'command' ||
      !disable ||
      disable.kind !== 'command'
    )
      return undefined;
    const steps =
      c.managedCluster.ingressProfile?.webAppRouting?.enabled === true
        ? [disable.command]
        : [enable.command.trimEnd(), disable.command];
    return {
      kind: 'command',
      command: steps.join('\n'),
      summary: `Replace HTTP application routing on ${c.name} (move the Ingresses to the webapprouting.kubernetes.azure.com class before disabling it)`,
    };
  },
};
