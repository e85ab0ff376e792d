/*
 * Node pools: AX-01 (no retired OS image), AX-09 (Trusted Launch and
 * encryption at host), AX-10 (no SSH in production).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS, unknown } from '../../engine/outcomes';
import { NodePoolView } from '../../engine/types';
import { NodePoolRule } from '../../engine/rule';
import { AZ_NODEPOOL, eqi, isWindowsPool } from '../cluster/helpers';
import {
  azNodePoolArguments,
  carriesFieldsOf,
  notCarried,
  requireTrue,
} from './helpers';

// ------------------------------------------------------------------ AX-01

/** An OS image AKS retired: what it is, when, and what replaces it. */
interface RetiredImage {
  name: string;
  retired: string;
  replacement: string;
}

const AZURE_LINUX_2: RetiredImage = {
  name: 'Azure Linux 2.0 (CBL-Mariner)',
  retired: '2025-11-30',
  replacement: 'AzureLinux3',
};
const WINDOWS_2019: RetiredImage = {
  name: 'Windows Server 2019',
  retired: '2026-03-01',
  replacement: 'Windows2022',
};
const UBUNTU_1804: RetiredImage = {
  name: 'Ubuntu 18.04',
  retired: '2025-06-17',
  replacement: 'Ubuntu2204',
};

/** Node image versions name the OS: `AKSAzureLinux-V2gen2-…`, `AKSCBLMariner-V2…`. */
const AZURE_LINUX_2_IMAGE_RE = /^AKS(?:AzureLinux|CBLMariner)-V2/i;
const WINDOWS_2019_IMAGE_RE = /^AKSWindows-2019/i;
const UBUNTU_1804_IMAGE_RE = /^AKSUbuntu-1804/i;

/** The retired image a pool runs, from its OS SKU or node image version. */
export function retiredImageOf(
  osSKU: unknown,
  nodeImageVersion: unknown,
): RetiredImage | undefined {
  const image = typeof nodeImageVersion === 'string' ? nodeImageVersion : '';
  if (eqi(osSKU, 'cblmariner') || eqi(osSKU, 'mariner')) return AZURE_LINUX_2;
  if (eqi(osSKU, 'windows2019')) return WINDOWS_2019;
  if (AZURE_LINUX_2_IMAGE_RE.test(image)) return AZURE_LINUX_2;
  if (WINDOWS_2019_IMAGE_RE.test(image)) return WINDOWS_2019;
  if (UBUNTU_1804_IMAGE_RE.test(image)) return UBUNTU_1804;
  return undefined;
}

export const nodePoolOsImageSupported: NodePoolRule = {
  id: 'node-pool-os-image-supported',
  baselineRef: 'AX-01',
  category: 'cluster',
  severity: 'high',
  title: 'Node pools run a supported OS image (no retired SKU)',
  rationale:
    'AKS stops publishing node images for a retired OS (Azure Linux 2.0 on 2025-11-30, Windows Server 2019 on 2026-03-01): its nodes get no security patches, and scaling or upgrading the pool fails.',
  remediation: {
    summary:
      'Move Linux pools to Azure Linux 3 or Ubuntu 22.04+ (OS SKU migration), and replace Windows Server 2019 pools with Windows Server 2022 pools.',
    command: `az aks nodepool update ${AZ_NODEPOOL} --name $NODEPOOL --os-sku AzureLinux3`,
  },
  scope: 'nodePool',
  source: 'arm',
  check(np, ctx) {
    const pool = np.pool;
    if (pool.osSKU === undefined && pool.nodeImageVersion === undefined)
      return unknown(
        `Node pool ${pool.name} reports neither its OS SKU nor its node image version`,
        [
          { path: `${np.path}.osSKU`, value: undefined },
          { path: `${np.path}.nodeImageVersion`, value: undefined },
        ],
      );
    const retired = retiredImageOf(pool.osSKU, pool.nodeImageVersion);
    if (!retired || ctx.now.toISOString().slice(0, 10) < retired.retired)
      return PASS;
    return fail(
      `Node pool ${pool.name} runs ${retired.name}, retired on ${retired.retired}: its nodes no longer get patched images`,
      [
        {
          path: `${np.path}.osSKU`,
          value: pool.osSKU,
          expected: retired.replacement,
        },
        { path: `${np.path}.nodeImageVersion`, value: pool.nodeImageVersion },
      ],
    );
  },
  fix(np) {
    const retired = retiredImageOf(np.pool.osSKU, np.pool.nodeImageVersion);
    if (retired === WINDOWS_2019)
      return {
        kind: 'manual',
        reason: `A Windows pool's OS cannot be changed in place: add a Windows2022 pool (az aks nodepool add --os-type Windows --os-sku Windows2022), move the workloads, then delete ${np.pool.name}.`,
      };
    const args = azNodePoolArguments(np.cluster.managedCluster, np.pool.name);
    if (!args || !retired) return undefined;
    return {
      kind: 'command',
      command: `az aks nodepool update ${args} --os-sku ${retired.replacement}`,
      summary: `Move node pool ${np.pool.name} to ${retired.replacement}`,
    };
  },
};

// ------------------------------------------------------------------ AX-09

/** The agent pool `securityProfile` (secure boot, vTPM, SSH access). */
const POOL_SECURITY_SINCE = '2025-04-01';
/** `enableEncryptionAtHost` on agent pools. */
const ENCRYPTION_AT_HOST_SINCE = '2020-12-01';

function poolSecurity(np: NodePoolView): Record<string, unknown> | undefined {
  const profile = np.pool.securityProfile;
  return profile && typeof profile === 'object'
    ? (profile as Record<string, unknown>)
    : undefined;
}

export const nodePoolTrustedLaunch: NodePoolRule = {
  id: 'node-pool-trusted-launch',
  baselineRef: 'AX-09',
  category: 'cluster',
  severity: 'medium',
  title: 'Node pools use Trusted Launch (secure boot and vTPM)',
  rationale:
    'Secure boot refuses unsigned boot loaders and kernel modules, and the virtual TPM measures the boot chain: rootkits and boot kits cannot persist on the node. Generation 2 VM sizes support both.',
  remediation: {
    summary:
      'Enable secure boot and vTPM on the pool (Generation 2 VM sizes only; other sizes need a new pool).',
    command: `az aks nodepool update ${AZ_NODEPOOL} --name $NODEPOOL --enable-secure-boot --enable-vtpm`,
  },
  scope: 'nodePool',
  source: 'arm',
  // Windows pools do not offer Trusted Launch through AKS.
  appliesTo: { when: np => !isWindowsPool(np.pool) },
  check(np) {
    const profile = poolSecurity(np);
    const secureBoot = profile?.enableSecureBoot;
    const vtpm = profile?.enableVTPM;
    if (secureBoot === true && vtpm === true) return PASS;
    if (
      (secureBoot === undefined || vtpm === undefined) &&
      !carriesFieldsOf(np.cluster, POOL_SECURITY_SINCE) &&
      secureBoot !== false &&
      vtpm !== false
    )
      return notCarried(
        np.cluster,
        `${np.path}.securityProfile.enableSecureBoot`,
        POOL_SECURITY_SINCE,
        'true',
      );
    const evidence: Evidence[] = [];
    if (secureBoot !== true)
      evidence.push({
        path: `${np.path}.securityProfile.enableSecureBoot`,
        value: secureBoot,
        expected: 'true',
      });
    if (vtpm !== true)
      evidence.push({
        path: `${np.path}.securityProfile.enableVTPM`,
        value: vtpm,
        expected: 'true',
      });
    return fail(
      `Node pool ${np.pool.name} runs without ${evidence
        .map(e => (e.path.endsWith('SecureBoot') ? 'secure boot' : 'vTPM'))
        .join(' and ')} (Trusted Launch)`,
      evidence,
    );
  },
  fix(np) {
    const args = azNodePoolArguments(np.cluster.managedCluster, np.pool.name);
    return args
      ? {
          kind: 'command',
          command: `az aks nodepool update ${args} --enable-secure-boot --enable-vtpm`,
          summary: `Enable Trusted Launch on node pool ${np.pool.name}`,
        }
      : undefined;
  },
};

export const nodePoolEncryptionAtHost: NodePoolRule = {
  id: 'node-pool-encryption-at-host',
  baselineRef: 'AX-09',
  category: 'cluster',
  severity: 'medium',
  title: 'Node pools encrypt temporary and cache disks at the host',
  rationale:
    'Without encryption at host, the OS disk cache and temporary disk of each node (where pods write emptyDir data and images) are not encrypted end to end.',
  remediation: {
    summary:
      'Create the pool with encryption at host (it cannot be turned on for an existing pool), move the workloads, delete the old pool.',
    command: `az aks nodepool add ${AZ_NODEPOOL} --name $NODEPOOL --enable-encryption-at-host`,
  },
  scope: 'nodePool',
  source: 'arm',
  check(np) {
    return requireTrue(np.cluster, np.pool.enableEncryptionAtHost, {
      path: `${np.path}.enableEncryptionAtHost`,
      since: ENCRYPTION_AT_HOST_SINCE,
      failure: `Node pool ${np.pool.name} does not encrypt its disks at the host`,
    });
  },
  fix(np) {
    return {
      kind: 'manual',
      reason: `Encryption at host is set when a pool is created: add a pool with --enable-encryption-at-host (the VM size must support it), move the workloads, then delete ${np.pool.name}.`,
    };
  },
};

// ------------------------------------------------------------------ AX-10

export const nodePoolSshDisabled: NodePoolRule = {
  id: 'node-pool-ssh-disabled',
  baselineRef: 'AX-10',
  category: 'cluster',
  severity: 'medium',
  title: 'SSH to the nodes of production pools is disabled',
  rationale:
    'An SSH key on the nodes is a standing way around Kubernetes RBAC and audit logs; node debugging works without it (kubectl debug node/...).',
  remediation: {
    summary: 'Disable SSH on the pool (Linux pools).',
    command: `az aks nodepool update ${AZ_NODEPOOL} --name $NODEPOOL --ssh-access disabled`,
  },
  scope: 'nodePool',
  source: 'arm',
  appliesTo: {
    profiles: ['production'],
    when: np => !isWindowsPool(np.pool),
  },
  check(np) {
    const access = poolSecurity(np)?.sshAccess;
    const path = `${np.path}.securityProfile.sshAccess`;
    if (eqi(access, 'disabled')) return PASS;
    if (
      access === undefined &&
      !carriesFieldsOf(np.cluster, POOL_SECURITY_SINCE)
    )
      return notCarried(np.cluster, path, POOL_SECURITY_SINCE, 'Disabled');
    return fail(
      `Node pool ${np.pool.name} allows SSH to its nodes (${
        access ?? 'LocalUser, the default'
      })`,
      [{ path, value: access, expected: 'Disabled' }],
    );
  },
  fix(np) {
    const args = azNodePoolArguments(np.cluster.managedCluster, np.pool.name);
    return args
      ? {
          kind: 'command',
          command: `az aks nodepool update ${args} --ssh-access disabled`,
          summary: `Disable SSH on node pool ${np.pool.name}`,
        }
      : undefined;
  },
};
