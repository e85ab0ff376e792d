/*
 * Rules on ARM resources besides the managed cluster: AX-08 Deployment
 * Safeguards (the cluster's `deploymentSafeguards` resource), AX-12 the
 * Istio add-on's revisions (the region's mesh revision profiles), AX-15 AKS
 * Backup (Data Protection backup instances of the cluster) or Velero.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS, unknown } from '../../engine/outcomes';
import { optionalReads } from '../../engine/rule-parts';
import { DeploymentSafeguardsModel } from '../../engine/types';
import { ArmClusterRule, RuleContext } from '../../engine/rule';
import { AZ_CLUSTER, eqi } from '../cluster/helpers';
import { azClusterFix, partNotRead } from './helpers';

// ------------------------------------------------------------------ AX-08

const PSS_RANK: Record<string, number> = {
  privileged: 0,
  baseline: 1,
  restricted: 2,
};

/** The cluster's safeguards resource (`default`), if configured. */
export function safeguardsOf(
  list: readonly DeploymentSafeguardsModel[],
): DeploymentSafeguardsModel | undefined {
  return (
    list.find(s => s.name === undefined || s.name === 'default') ?? list[0]
  );
}

export const deploymentSafeguardsOn: ArmClusterRule = {
  id: 'deployment-safeguards-on',
  baselineRef: 'AX-08',
  category: 'pod-security',
  severity: 'high',
  title:
    'Deployment Safeguards are on with Pod Security Standards of at least Baseline (Enforce in production)',
  rationale:
    'Safeguards check every deployment at admission against the AKS best practices (requests and limits, probes, no privileged pods, ...) and the Pod Security Standards; Warn tells the deployer, Enforce refuses.',
  remediation: {
    summary:
      'Turn Deployment Safeguards on, at Enforce for production, with Pod Security Standards Baseline or Restricted.',
    command: `az aks safeguards create ${AZ_CLUSTER} --level Enforce --pss-level Baseline`,
  },
  scope: 'cluster',
  source: 'arm',
  check(c, ctx) {
    const list = c.arm?.deploymentSafeguards;
    if (list === undefined)
      return partNotRead(
        c,
        'deploymentSafeguards',
        'Deployment Safeguards were',
      );
    const safeguards = safeguardsOf(list);
    const production = ctx.profile === 'production';
    if (!safeguards)
      return fail('Deployment Safeguards are not configured on the cluster', [
        {
          path: 'deploymentSafeguards',
          value: [],
          expected: production ? 'level Enforce' : 'level Warn or Enforce',
        },
      ]);
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    const level = safeguards.level;
    const levelOk = production
      ? eqi(level, 'enforce')
      : eqi(level, 'warn') || eqi(level, 'enforce');
    if (!levelOk) {
      problems.push(`level is ${level ?? 'not set'}`);
      evidence.push({
        path: 'deploymentSafeguards.level',
        value: level,
        expected: production ? 'Enforce' : 'Warn or Enforce',
      });
    }
    const pss = safeguards.podSecurityStandardsLevel;
    const rank =
      typeof pss === 'string' ? PSS_RANK[pss.toLowerCase()] : undefined;
    if (pss === undefined) {
      // 2025-04-01 has no Pod Security Standards level: not read, not "none".
      if (problems.length === 0)
        return unknown(
          'Deployment Safeguards do not report a Pod Security Standards level (the resource was read with an api-version without it; 2025-05-02-preview or later has it)',
          [
            {
              path: 'deploymentSafeguards.podSecurityStandardsLevel',
              value: undefined,
            },
          ],
        );
    } else if (rank === undefined || rank < PSS_RANK.baseline) {
      problems.push(`Pod Security Standards level is ${pss}`);
      evidence.push({
        path: 'deploymentSafeguards.podSecurityStandardsLevel',
        value: pss,
        expected: 'Baseline or Restricted',
      });
    }
    if (problems.length === 0) return PASS;
    return fail(
      `Deployment Safeguards fall short${
        production ? ' of production' : ''
      }: ${problems.join('; ')}`,
      evidence,
    );
  },
  fix(c, _evidence, ctx) {
    const exists = c.arm?.deploymentSafeguards?.length ? true : false;
    const level = ctx.profile === 'production' ? 'Enforce' : 'Warn';
    return azClusterFix(
      c.managedCluster,
      `safeguards ${exists ? 'update' : 'create'}`,
      `--level ${level} --pss-level Baseline`,
      `Set Deployment Safeguards on ${c.name} to ${level} with Pod Security Standards Baseline`,
    );
  },
};

// ------------------------------------------------------------------ AX-12

function meshMode(c: { managedCluster: Record<string, any> }): unknown {
  return c.managedCluster.serviceMeshProfile?.mode;
}

export const istioRevisionSupported: ArmClusterRule = {
  id: 'istio-revision-supported',
  baselineRef: 'AX-12',
  category: 'networking',
  severity: 'high',
  title: 'The Istio add-on runs a revision the region still supports',
  rationale:
    'Each Istio add-on revision is supported for a limited time; a revision no longer offered in the region gets no security fixes, and the cluster cannot move to a Kubernetes minor it is not compatible with.',
  remediation: {
    summary:
      'Start a canary upgrade to a supported revision, move the workloads, then complete it.',
    command: [
      `az aks mesh get-upgrades ${AZ_CLUSTER}`,
      `az aks mesh upgrade start ${AZ_CLUSTER} --revision asm-1-26`,
    ].join('\n'),
  },
  scope: 'cluster',
  source: 'arm',
  appliesTo: { when: c => eqi(meshMode(c), 'istio') },
  check(c) {
    const mesh = c.managedCluster.serviceMeshProfile as
      | { istio?: { revisions?: unknown } }
      | undefined;
    const revisions = mesh?.istio?.revisions;
    if (!Array.isArray(revisions) || revisions.length === 0)
      return unknown('The Istio add-on is on but reports no revision', [
        { path: 'serviceMeshProfile.istio.revisions', value: revisions },
      ]);
    const supported = c.arm?.meshRevisions;
    if (supported === undefined)
      return partNotRead(
        c,
        'meshRevisions',
        "The region's Istio revisions (meshRevisionProfiles) were",
        [{ path: 'serviceMeshProfile.istio.revisions', value: revisions }],
      );
    const names = supported.map(r => r.revision);
    const unsupported = revisions.filter(
      r => typeof r !== 'string' || !names.includes(r),
    );
    if (unsupported.length === 0) return PASS;
    return fail(
      `The Istio add-on runs ${unsupported.join(
        ', ',
      )}, no longer supported in the region (supported: ${names.join(', ')})`,
      [
        {
          path: 'serviceMeshProfile.istio.revisions',
          value: revisions,
          expected: `one of ${names.join(', ')}`,
        },
      ],
    );
  },
  fix(c) {
    const names = (c.arm?.meshRevisions ?? [])
      .map(r => r.revision)
      .sort(compareRevisions);
    const newest = names[names.length - 1];
    if (!newest) return undefined;
    return azClusterFix(
      c.managedCluster,
      'mesh upgrade start',
      `--revision ${newest}`,
      `Start the canary upgrade of ${c.name}'s Istio add-on to ${newest} (then az aks mesh upgrade complete)`,
    );
  },
};

/** `asm-1-25` before `asm-1-26` before `asm-1-100`. */
function compareRevisions(a: string, b: string): number {
  const pa = a.match(/\d+/g)?.map(Number) ?? [];
  const pb = b.match(/\d+/g)?.map(Number) ?? [];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

// ------------------------------------------------------------------ AX-15

const AKS_DATASOURCE = 'microsoft.containerservice/managedclusters';

function veleroSchedules(ctx: RuleContext) {
  const status = ctx.index.kindStatus('Schedule');
  return {
    status,
    schedules: status === 'read' ? ctx.index.ofKind('Schedule') : [],
  };
}

export const clusterBackupConfigured: ArmClusterRule = {
  id: 'cluster-backup-configured',
  baselineRef: 'AX-15',
  category: 'availability',
  severity: 'medium',
  title: 'The cluster is backed up (AKS Backup or Velero schedules)',
  rationale:
    "Without a backup, a deleted namespace, a bad upgrade or a lost region takes the workloads' state and configuration with it; AKS Backup keeps cluster resources and persistent volumes in a Backup vault.",
  remediation: {
    summary:
      'Protect the cluster with AKS Backup (Backup extension, a Backup vault and policy, a backup instance), or run Velero schedules covering every application namespace.',
    command: `az dataprotection backup-instance initialize-backupconfig --datasource-type AzureKubernetesService`,
  },
  scope: 'cluster',
  source: 'arm',
  reads: optionalReads('Schedule'),
  check(c, ctx) {
    const instances = c.arm?.backupInstances;
    const protectedInstance = instances?.find(
      i =>
        (i.dataSourceInfo?.datasourceType ?? '').toLowerCase() ===
          AKS_DATASOURCE &&
        (eqi(i.protectionStatus?.status, 'protectionconfigured') ||
          eqi(i.currentProtectionState, 'protectionconfigured')),
    );
    if (protectedInstance) return PASS;
    // Velero is the other way: schedules count when they were read.
    const velero = veleroSchedules(ctx);
    if (velero.schedules.some(s => s.spec?.paused !== true)) return PASS;
    const evidence: Evidence[] = [
      {
        path: 'backupInstances',
        value: instances?.map(i => ({
          name: i.name,
          status: i.protectionStatus?.status ?? i.currentProtectionState,
        })),
        expected: 'an AKS backup instance with ProtectionConfigured',
      },
    ];
    if (
      instances === undefined ||
      (velero.status !== 'read' && velero.status !== 'absent')
    )
      return unknown(
        `Whether the cluster is backed up cannot be told: ${
          instances === undefined
            ? `its Data Protection backup instances were not read (${
                c.arm?.unreadable?.backupInstances ?? 'not in the snapshot'
              })`
            : 'it has no protected AKS backup instance'
        }${
          velero.status === 'read' || velero.status === 'absent'
            ? ''
            : `, and Velero schedules were not read (${
                ctx.index.kindReason('Schedule') ?? velero.status
              })`
        }`,
        evidence,
      );
    return fail(
      instances.length === 0
        ? 'The cluster has no AKS backup instance and no active Velero schedule'
        : `No backup instance protects the cluster (${instances
            .map(
              i =>
                `${i.name}: ${
                  i.protectionStatus?.status ?? i.currentProtectionState
                }`,
            )
            .join(', ')}) and no Velero schedule is active`,
      evidence,
    );
  },
  fix() {
    return {
      kind: 'manual',
      reason:
        'AKS Backup needs a Backup vault, a policy, the Backup extension on the cluster and trusted access between them: follow az dataprotection backup-instance initialize-backupconfig / create for this cluster, or install Velero with a schedule per application namespace.',
    };
  },
};
