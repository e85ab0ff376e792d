/*
 * Node pool rules (scope `nodePool`): CL-03 autoscaler, CL-09 zones, CL-11
 * VMSS, CL-13 system pool, CL-14 GPU pools, CL-15 Spot pools, CL-18 VM size;
 * plus the cluster-level half of CL-13 (applications on User pools).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { PASS, fail, unknown } from '../../engine/outcomes';
import { ArmClusterRule, NodePoolRule } from '../../engine/rule';
import {
  AZ_NODEPOOL,
  eqi,
  hasTaint,
  isBurstableVmSize,
  isGpuPool,
  isSpotPool,
  isSystemPool,
  floorField,
  zoneCount,
} from './helpers';
import { azPoolCommand, fillIn } from '../shared/fixes';

const NO_SCHEDULE = ['NoSchedule', 'NoExecute'] as const;
const MIN_PRODUCTION_NODES = 3;

export const userPoolAutoscaler: NodePoolRule = {
  id: 'user-pool-autoscaler-enabled',
  baselineRef: 'CL-03',
  category: 'cluster',
  severity: 'high',
  title: 'Cluster autoscaler is enabled on every User node pool',
  rationale:
    'Without the autoscaler a User pool cannot add nodes when pods stop fitting (they stay Pending) nor remove idle ones, so it is either under-provisioned or wasting money.',
  remediation: {
    summary:
      'Enable the cluster autoscaler on the node pool with a floor and a ceiling.',
    command: `az aks nodepool update ${AZ_NODEPOOL} --name $NODEPOOL --enable-cluster-autoscaler --min-count 3 --max-count 20`,
  },
  scope: 'nodePool',
  source: 'arm',
  fix: np =>
    azPoolCommand(
      np.cluster.managedCluster,
      np.pool.name,
      n =>
        `az aks nodepool update ${n} --enable-cluster-autoscaler --min-count ${Math.max(
          1,
          np.pool.count ?? 1,
        )} --max-count ${fillIn('the most nodes the pool may grow to')}`,
      `Enable the cluster autoscaler on node pool ${np.pool.name}`,
      "Fill in the ceiling (the floor is the pool's current node count)",
    ),
  appliesTo: {
    when: np =>
      !isSystemPool(np.pool, np.cluster.managedCluster.agentPoolProfiles),
  },
  check(np) {
    const pool = np.pool;
    if (pool.enableAutoScaling === true) return PASS;
    return fail(
      `User node pool ${pool.name} does not run the cluster autoscaler`,
      [
        {
          path: `${np.path}.enableAutoScaling`,
          value: pool.enableAutoScaling,
          expected: 'true',
        },
      ],
    );
  },
};

export const productionPoolMinCount: NodePoolRule = {
  id: 'production-pool-min-count',
  baselineRef: 'CL-03',
  category: 'cluster',
  severity: 'high',
  title: 'Production User node pools keep at least 3 nodes',
  rationale:
    'With fewer than three nodes one node failure or upgrade removes a large share of capacity and leaves no room to spread replicas across zones. GPU and Spot pools are exempt: they are meant to scale to zero or be evicted.',
  remediation: {
    summary: 'Raise the autoscaler floor of the node pool to 3.',
    command: `az aks nodepool update ${AZ_NODEPOOL} --name $NODEPOOL --update-cluster-autoscaler --min-count 3 --max-count 20`,
  },
  scope: 'nodePool',
  source: 'arm',
  fix: np =>
    azPoolCommand(
      np.cluster.managedCluster,
      np.pool.name,
      n =>
        np.pool.enableAutoScaling === true
          ? `az aks nodepool update ${n} --update-cluster-autoscaler --min-count ${MIN_PRODUCTION_NODES} --max-count ${Math.max(
              MIN_PRODUCTION_NODES,
              np.pool.maxCount ?? MIN_PRODUCTION_NODES,
            )}`
          : `az aks nodepool scale ${n} --node-count ${MIN_PRODUCTION_NODES}`,
      `Keep at least ${MIN_PRODUCTION_NODES} nodes in node pool ${np.pool.name}`,
    ),
  appliesTo: {
    profiles: ['production'],
    when: np =>
      !isSystemPool(np.pool, np.cluster.managedCluster.agentPoolProfiles) &&
      !isSpotPool(np.pool) &&
      !isGpuPool(np.pool),
  },
  check(np) {
    const field = floorField(np.pool);
    const floor = np.pool[field];
    if (typeof floor === 'number' && floor >= MIN_PRODUCTION_NODES) return PASS;
    if (floor === undefined)
      return unknown(`Node pool ${np.pool.name} does not report its ${field}`, [
        { path: `${np.path}.${field}`, value: undefined },
      ]);
    return fail(
      `Production node pool ${np.pool.name} can shrink to ${floor} node(s) (${field})`,
      [
        {
          path: `${np.path}.${field}`,
          value: floor,
          expected: `>= ${MIN_PRODUCTION_NODES}`,
        },
      ],
    );
  },
};

export const poolAvailabilityZones: NodePoolRule = {
  id: 'node-pool-availability-zones',
  baselineRef: 'CL-09',
  category: 'cluster',
  severity: 'medium',
  title: 'Node pool spans availability zones 1, 2 and 3',
  rationale:
    'A pool in a single zone (or none) goes down with that datacenter; zones are fixed at pool creation, so this must be right from the start.',
  remediation: {
    summary:
      'Zones cannot be added to an existing pool: create a zoned pool, move the workloads, delete the old pool.',
    command: `az aks nodepool add ${AZ_NODEPOOL} --name $NODEPOOL --node-count 3 --zones 1 2 3`,
  },
  scope: 'nodePool',
  source: 'arm',
  fix: np =>
    azPoolCommand(
      np.cluster.managedCluster,
      undefined,
      n =>
        `az aks nodepool add ${n} --name ${fillIn('new pool name')} --mode ${
          np.pool.mode ?? 'User'
        } --node-vm-size ${
          np.pool.vmSize ?? fillIn('VM size')
        } --node-count ${Math.max(3, np.pool.count ?? 3)} --zones 1 2 3`,
      `Replace node pool ${np.pool.name} with a pool across zones 1, 2 and 3`,
      `Zones cannot be added to an existing pool: create the new pool, cordon and drain ${np.pool.name}, then delete it`,
    ),
  check(np) {
    if (zoneCount(np.pool) >= 3) return PASS;
    return fail(
      `Node pool ${np.pool.name} does not span three availability zones`,
      [
        {
          path: `${np.path}.availabilityZones`,
          value: np.pool.availabilityZones,
          expected: '["1","2","3"]',
        },
      ],
    );
  },
};

export const poolVirtualMachineScaleSets: NodePoolRule = {
  id: 'node-pool-vmss',
  baselineRef: 'CL-11',
  category: 'cluster',
  severity: 'low',
  title: 'Node pool uses Virtual Machine Scale Sets',
  rationale:
    'The cluster autoscaler, multiple pools, zones and Spot all require scale-set pools; availability-set pools are legacy.',
  remediation: {
    summary:
      'The pool type cannot change: create a scale-set pool and move the workloads.',
    command: `az aks nodepool add ${AZ_NODEPOOL} --name $NODEPOOL --node-count 3 --zones 1 2 3`,
  },
  scope: 'nodePool',
  source: 'arm',
  fix: np =>
    azPoolCommand(
      np.cluster.managedCluster,
      undefined,
      n =>
        `az aks nodepool add ${n} --name ${fillIn('new pool name')} --mode ${
          np.pool.mode ?? 'User'
        } --node-vm-size ${
          np.pool.vmSize ?? fillIn('VM size')
        } --node-count ${Math.max(3, np.pool.count ?? 3)} --zones 1 2 3`,
      `Replace node pool ${np.pool.name} with a Virtual Machine Scale Sets pool`,
      `An availability-set pool cannot be converted: create the new pool, cordon and drain ${np.pool.name}, then delete it`,
    ),
  check(np) {
    const type = np.pool.type;
    if (eqi(type, 'virtualmachinescalesets')) return PASS;
    if (type === undefined)
      return unknown(`Node pool ${np.pool.name} does not report its type`, [
        {
          path: `${np.path}.type`,
          value: undefined,
          expected: 'VirtualMachineScaleSets',
        },
      ]);
    return fail(`Node pool ${np.pool.name} is of type ${type}`, [
      {
        path: `${np.path}.type`,
        value: type,
        expected: 'VirtualMachineScaleSets',
      },
    ]);
  },
};

export const systemPoolDedicated: NodePoolRule = {
  id: 'system-pool-dedicated',
  baselineRef: 'CL-13',
  category: 'cluster',
  severity: 'medium',
  title:
    'System node pool is dedicated (CriticalAddonsOnly taint), zoned and, in production, at least 3 nodes',
  rationale:
    'CoreDNS, metrics-server and the other system pods must not be starved by applications; a tainted, zoned system pool of three nodes keeps them available.',
  remediation: {
    summary:
      'Add a dedicated, tainted and zoned System pool (then move applications to User pools).',
    command: `az aks nodepool add ${AZ_NODEPOOL} --name systempool --node-count 3 --node-vm-size Standard_D2s_v3 --mode System --node-taints CriticalAddonsOnly=true:NoSchedule --zones 1 2 3`,
  },
  scope: 'nodePool',
  source: 'arm',
  fix: np =>
    azPoolCommand(
      np.cluster.managedCluster,
      np.pool.name,
      n =>
        `az aks nodepool update ${n} --node-taints CriticalAddonsOnly=true:NoSchedule`,
      `Taint System node pool ${np.pool.name} CriticalAddonsOnly=true:NoSchedule`,
      'Move applications to a User pool first; zones cannot be added to an existing pool (add a zoned System pool of 3 nodes instead when it is not zoned or too small)',
    ),
  appliesTo: {
    when: np =>
      isSystemPool(np.pool, np.cluster.managedCluster.agentPoolProfiles),
  },
  check(np, ctx) {
    const pool = np.pool;
    const tainted = hasTaint(pool, 'CriticalAddonsOnly', 'true', NO_SCHEDULE);
    const zoned = zoneCount(pool) > 0;
    const field = floorField(pool);
    const floor = pool[field];
    const bigEnough =
      ctx.profile !== 'production' ||
      (typeof floor === 'number' && floor >= MIN_PRODUCTION_NODES);
    if (tainted && zoned && bigEnough) return PASS;
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    if (!tainted) {
      problems.push('not tainted CriticalAddonsOnly=true:NoSchedule');
      evidence.push({
        path: `${np.path}.nodeTaints`,
        value: pool.nodeTaints,
        expected: 'CriticalAddonsOnly=true:NoSchedule',
      });
    }
    if (!zoned) {
      problems.push('not zoned');
      evidence.push({
        path: `${np.path}.availabilityZones`,
        value: pool.availabilityZones,
        expected: '["1","2","3"]',
      });
    }
    if (!bigEnough) {
      problems.push(`${floor ?? 'unknown'} node(s) (${field})`);
      evidence.push({
        path: `${np.path}.${field}`,
        value: floor,
        expected: `>= ${MIN_PRODUCTION_NODES} in production`,
      });
    }
    return fail(
      `System node pool ${pool.name}: ${problems.join('; ')}`,
      evidence,
    );
  },
};

export const userPoolPresent: ArmClusterRule = {
  id: 'user-node-pool-present',
  baselineRef: 'CL-13',
  category: 'cluster',
  severity: 'medium',
  title: 'Applications run on User node pools, apart from the System pool',
  rationale:
    'A cluster with System pools only runs applications next to CoreDNS and the other system pods, where a noisy workload can take the cluster down.',
  remediation: {
    summary: 'Add a User pool for applications.',
    command: `az aks nodepool add ${AZ_NODEPOOL} --name apppool --node-count 3 --min-count 3 --max-count 20 --enable-cluster-autoscaler --node-vm-size Standard_D4s_v3 --mode User --zones 1 2 3 --labels workload=application tier=frontend`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azPoolCommand(
      c.managedCluster,
      'apppool',
      n =>
        `az aks nodepool add ${n} --mode User --node-vm-size ${fillIn(
          'VM size, e.g. Standard_D4s_v5',
        )} --node-count 3 --enable-cluster-autoscaler --min-count 3 --max-count ${fillIn(
          'ceiling',
        )} --zones 1 2 3`,
      `Add a User node pool to ${c.name}`,
      'Choose the VM size and the autoscaler ceiling',
    ),
  check(c) {
    const mc = c.managedCluster;
    const pools = mc.agentPoolProfiles;
    if (!Array.isArray(pools) || pools.length === 0)
      return unknown('The cluster lists no node pools', [
        { path: 'agentPoolProfiles', value: pools },
      ]);
    for (let i = 0; i < pools.length; i++) {
      if (!isSystemPool(pools[i], pools)) return PASS;
    }
    const modes: unknown[] = [];
    for (let i = 0; i < pools.length; i++) modes.push(pools[i].mode);
    return fail(
      'The cluster has no User node pool: applications share the System pool',
      [
        {
          path: 'agentPoolProfiles[].mode',
          value: modes,
          expected: 'at least one User pool',
        },
      ],
    );
  },
};

export const gpuPoolTaintedAndScalable: NodePoolRule = {
  id: 'gpu-pool-tainted-scale-to-zero',
  baselineRef: 'CL-14',
  category: 'cluster',
  severity: 'medium',
  title: 'GPU node pools are tainted sku=gpu:NoSchedule and can scale to zero',
  rationale:
    'GPU nodes are the most expensive in the cluster: the taint keeps ordinary pods off them, and an autoscaler floor of zero releases them when no GPU job runs.',
  remediation: {
    summary: 'Taint the GPU pool and let the autoscaler scale it to zero.',
    command: `az aks nodepool add ${AZ_NODEPOOL} --name gpupool --node-count 1 --min-count 0 --max-count 5 --enable-cluster-autoscaler --node-vm-size Standard_NC6s_v3 --node-taints sku=gpu:NoSchedule --labels accelerator=nvidia`,
  },
  scope: 'nodePool',
  source: 'arm',
  fix: np =>
    azPoolCommand(
      np.cluster.managedCluster,
      np.pool.name,
      n => [
        `az aks nodepool update ${n} --node-taints sku=gpu:NoSchedule`,
        `az aks nodepool update ${n} ${
          np.pool.enableAutoScaling === true
            ? '--update-cluster-autoscaler'
            : '--enable-cluster-autoscaler'
        } --min-count 0 --max-count ${Math.max(
          1,
          np.pool.maxCount ?? np.pool.count ?? 1,
        )}`,
      ],
      `Taint GPU node pool ${np.pool.name} and let it scale to zero`,
      'Give the GPU workloads the sku=gpu:NoSchedule toleration first',
    ),
  appliesTo: { when: np => isGpuPool(np.pool) },
  check(np) {
    const pool = np.pool;
    const tainted =
      hasTaint(pool, 'sku', 'gpu', NO_SCHEDULE) ||
      hasTaint(pool, 'nvidia.com/gpu', undefined, NO_SCHEDULE);
    const scalesToZero = pool.enableAutoScaling === true && pool.minCount === 0;
    if (tainted && scalesToZero) return PASS;
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    if (!tainted) {
      problems.push('not tainted sku=gpu:NoSchedule');
      evidence.push({
        path: `${np.path}.nodeTaints`,
        value: pool.nodeTaints,
        expected: 'sku=gpu:NoSchedule',
      });
    }
    if (!scalesToZero) {
      problems.push('cannot scale to zero');
      evidence.push(
        pool.enableAutoScaling === true
          ? { path: `${np.path}.minCount`, value: pool.minCount, expected: '0' }
          : {
              path: `${np.path}.enableAutoScaling`,
              value: pool.enableAutoScaling,
              expected: 'true with minCount 0',
            },
      );
    }
    return fail(
      `GPU node pool ${pool.name} (${pool.vmSize}): ${problems.join('; ')}`,
      evidence,
    );
  },
};

export const spotPoolConfigured: NodePoolRule = {
  id: 'spot-pool-tainted-delete-eviction',
  baselineRef: 'CL-15',
  category: 'cluster',
  severity: 'medium',
  title: 'Spot node pools are tainted and evict with Delete',
  rationale:
    'Spot nodes can be reclaimed at any moment: the taint keeps workloads that do not tolerate eviction off them, and the Delete policy frees the capacity (Deallocate keeps paying for disks and quota).',
  remediation: {
    summary:
      'Create Spot pools with the Delete eviction policy and the spot taint.',
    command: `az aks nodepool add ${AZ_NODEPOOL} --name spotpool --priority Spot --eviction-policy Delete --spot-max-price -1 --node-count 3 --min-count 1 --max-count 10 --enable-cluster-autoscaler --node-vm-size Standard_D4s_v3 --node-taints kubernetes.azure.com/scalesetpriority=spot:NoSchedule --labels kubernetes.azure.com/scalesetpriority=spot`,
  },
  scope: 'nodePool',
  source: 'arm',
  fix: np =>
    azPoolCommand(
      np.cluster.managedCluster,
      undefined,
      n =>
        `az aks nodepool add ${n} --name ${fillIn(
          'new pool name',
        )} --priority Spot --eviction-policy Delete --spot-max-price -1 --node-vm-size ${
          np.pool.vmSize ?? fillIn('VM size')
        } --enable-cluster-autoscaler --min-count 0 --max-count ${Math.max(
          1,
          np.pool.maxCount ?? np.pool.count ?? 1,
        )} --node-taints kubernetes.azure.com/scalesetpriority=spot:NoSchedule`,
      `Replace Spot node pool ${np.pool.name} with a tainted pool that evicts with Delete`,
      `The eviction policy of a pool cannot be changed: create the new pool, drain ${np.pool.name}, then delete it`,
    ),
  appliesTo: { when: np => isSpotPool(np.pool) },
  check(np) {
    const pool = np.pool;
    const tainted = hasTaint(
      pool,
      'kubernetes.azure.com/scalesetpriority',
      'spot',
      NO_SCHEDULE,
    );
    const evictDelete = eqi(pool.scaleSetEvictionPolicy, 'delete');
    if (tainted && evictDelete) return PASS;
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    if (!tainted) {
      problems.push(
        'missing the kubernetes.azure.com/scalesetpriority=spot:NoSchedule taint',
      );
      evidence.push({
        path: `${np.path}.nodeTaints`,
        value: pool.nodeTaints,
        expected: 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule',
      });
    }
    if (!evictDelete) {
      problems.push(
        `eviction policy ${pool.scaleSetEvictionPolicy ?? 'not set'}`,
      );
      evidence.push({
        path: `${np.path}.scaleSetEvictionPolicy`,
        value: pool.scaleSetEvictionPolicy,
        expected: 'Delete',
      });
    }
    return fail(
      `Spot node pool ${pool.name}: ${problems.join('; ')}`,
      evidence,
    );
  },
};

export const productionNoBurstableVms: NodePoolRule = {
  id: 'production-pool-no-burstable-vms',
  baselineRef: 'CL-18',
  category: 'cluster',
  severity: 'medium',
  title: 'Production node pools do not use burstable (B-series) VMs',
  rationale:
    'B-series VMs run on CPU credits: once the credits are spent the node is throttled to a fraction of a core, which shows up as random latency under steady production load.',
  remediation: {
    summary:
      'The VM size of a pool cannot change: add a pool of a general-purpose size (e.g. Standard_D4s_v3), move the workloads, delete the B-series pool.',
    command: `az aks nodepool add ${AZ_NODEPOOL} --name apppool --node-count 3 --min-count 3 --max-count 20 --enable-cluster-autoscaler --node-vm-size Standard_D4s_v3 --mode User --zones 1 2 3`,
  },
  scope: 'nodePool',
  source: 'arm',
  fix: np =>
    azPoolCommand(
      np.cluster.managedCluster,
      undefined,
      n =>
        `az aks nodepool add ${n} --name ${fillIn('new pool name')} --mode ${
          np.pool.mode ?? 'User'
        } --node-vm-size ${fillIn(
          'a non-burstable size, e.g. Standard_D4s_v5',
        )} --node-count ${Math.max(3, np.pool.count ?? 3)} --zones 1 2 3`,
      `Replace node pool ${np.pool.name} with a pool of non-burstable VMs`,
      `The VM size of a pool cannot be changed: create the new pool, cordon and drain ${np.pool.name}, then delete it`,
    ),
  appliesTo: { profiles: ['production'] },
  check(np) {
    const vmSize = np.pool.vmSize;
    if (!isBurstableVmSize(vmSize)) return PASS;
    return fail(
      `Production node pool ${np.pool.name} uses burstable VM size ${vmSize}`,
      [
        {
          path: `${np.path}.vmSize`,
          value: vmSize,
          expected: 'a non-burstable size (D, E, F series)',
        },
      ],
    );
  },
};
