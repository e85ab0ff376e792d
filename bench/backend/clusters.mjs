/*
 * The fleet the backend benchmarks read: N AKS clusters of M Kubernetes
 * objects each, as Azure Resource Manager and the Kubernetes API serve them,
 * and the catalog entities whose workloads run there.
 *
 * - Kubernetes objects: the engine benchmark's seeded generator
 *   (bench/engine/generate.mjs: namespaces with Pod Security labels,
 *   Deployments, StatefulSets, DaemonSets, Services, NetworkPolicies, PDBs,
 *   HPAs, shaped as `kubectl get -o json` prints them), plus the nodes and
 *   the Velero schedule of the engine's fixtures. `templates` seeds are
 *   generated and reused round-robin; each cluster gets its own workload ids.
 * - Every workload carries `backstage.io/kubernetes-id`; the ids of all
 *   clusters are spread over `entities` catalog Components, so that an
 *   entity runs on about (clusters x workloads per cluster / entities)
 *   clusters, like a service deployed to several regions.
 * - ARM: the engine's REST fixture of a hardened private cluster and the
 *   published ManagedClustersGet example, alternately, with agent pools,
 *   maintenance configurations, the upgrade profile and available versions
 *   from the source tests' fixtures.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateObjects } from '../engine/generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const NODE_FIXTURES = join(root, 'plugins/aks-baseline-node/src/__fixtures__');
const SOURCE_FIXTURES = join(
  root,
  'plugins/aks-baseline-backend/src/sources/__fixtures__',
);
const json = file => JSON.parse(readFileSync(file, 'utf8'));

export const SUBSCRIPTION = '6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21';
export const RESOURCE_GROUP = 'rg-aks-fleet';
const REGIONS = [
  'westeurope',
  'northeurope',
  'eastus2',
  'swedencentral',
  'koreacentral',
];
const KUBERNETES_ID = 'backstage.io/kubernetes-id';

export function clusterName(index) {
  return `aks-${REGIONS[index % REGIONS.length]}-${String(index + 1).padStart(
    2,
    '0',
  )}`;
}

/** Objects that every cluster has besides the generated ones. */
function extraObjects() {
  const nodes = json(join(NODE_FIXTURES, 'kubernetes/nodes-health.json')).items;
  const schedule = json(
    join(NODE_FIXTURES, 'kubernetes/velero-daily-backup-schedule.json'),
  );
  return [...nodes, schedule];
}

/**
 * The Kubernetes objects of every cluster and the catalog entities.
 * @returns {{ clusters: { name: string, objects: object[] }[], entities: object[] }}
 */
export function buildFleet({
  clusters = 50,
  objects = 2000,
  entities = 10000,
  templates = 10,
  seed = 42,
} = {}) {
  const extras = extraObjects();
  const generated = Math.max(0, objects - extras.length);
  const templateObjects = [];
  for (let t = 0; t < Math.min(templates, clusters); t++) {
    templateObjects.push(generateObjects(generated, { seed: seed + t }));
  }

  // Entity e: a name (from the first workload given to it) and an owner.
  const entityNames = new Array(entities);
  const entityOwners = new Array(entities);
  let slot = 0;
  const fleet = [];
  for (let c = 0; c < clusters; c++) {
    const items = structuredClone(templateObjects[c % templateObjects.length]);
    const idMap = new Map();
    const owners = new Map();
    for (const o of items) {
      if (o.kind === 'Namespace') {
        const owner = o.metadata.annotations?.['aks-baseline.io/owner'];
        if (owner) owners.set(o.metadata.name, owner);
      }
    }
    const entityFor = (id, namespace) => {
      let name = idMap.get(id);
      if (name === undefined) {
        const e = slot++ % entities;
        entityNames[e] ??= `${id.replace(/-\d+$/, '')}-${e}`;
        entityOwners[e] ??=
          owners.get(namespace) ?? 'group:default/platform-team';
        name = entityNames[e];
        idMap.set(id, name);
      }
      return name;
    };
    for (const o of items) {
      const labels = o.metadata?.labels;
      const id = labels?.[KUBERNETES_ID];
      if (!id) continue;
      const name = entityFor(id, o.metadata.namespace);
      labels[KUBERNETES_ID] = name;
      const podLabels = o.spec?.template?.metadata?.labels;
      if (podLabels?.[KUBERNETES_ID]) podLabels[KUBERNETES_ID] = name;
    }
    fleet.push({
      name: clusterName(c),
      objects: [...structuredClone(extras), ...items],
    });
  }

  const entityList = [];
  for (let e = 0; e < entities; e++) {
    const name = entityNames[e] ?? `unused-service-${e}`;
    entityList.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: { [KUBERNETES_ID]: name },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: entityOwners[e] ?? 'group:default/platform-team',
      },
    });
  }
  // The clusters themselves, as kubernetes-cluster Resources.
  for (const cluster of fleet) {
    entityList.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: cluster.name,
        namespace: 'default',
        annotations: { 'aks-baseline.io/cluster': cluster.name },
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: 'group:default/platform-team',
      },
    });
  }
  return { clusters: fleet, entities: entityList, slots: slot };
}

/** What ARM answers for one cluster (REST shapes, `properties` inside). */
export function armDocuments(index) {
  const name = clusterName(index);
  const id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  const hardened = index % 2 === 0;
  const cluster = hardened
    ? json(join(NODE_FIXTURES, 'azure/rest-managed-cluster-private.json'))
    : json(join(SOURCE_FIXTURES, 'azure/ManagedClustersGet.json')).responses[
        '200'
      ].body;
  cluster.name = name;
  cluster.id = id;
  cluster.location = REGIONS[index % REGIONS.length];
  const agentPools = (cluster.properties.agentPoolProfiles ?? []).map(
    ({ name: pool, ...properties }) => ({
      id: `${id}/agentPools/${pool}`,
      name: pool,
      type: 'Microsoft.ContainerService/managedClusters/agentPools',
      properties,
    }),
  );
  const maintenance = json(
    join(
      SOURCE_FIXTURES,
      'azure/MaintenanceConfigurationsGet_MaintenanceWindow.json',
    ),
  ).responses['200'].body;
  maintenance.id = `${id}/maintenanceConfigurations/${maintenance.name}`;
  const upgradeProfile = json(
    join(SOURCE_FIXTURES, 'azure/upgrade-profile.json'),
  );
  upgradeProfile.id = `${id}/upgradeProfiles/default`;
  return {
    name,
    cluster,
    agentPools,
    maintenanceConfigurations: hardened ? [maintenance] : [],
    upgradeProfile,
  };
}

export function kubernetesVersions() {
  return json(join(SOURCE_FIXTURES, 'azure/kubernetes-versions.json'));
}
