#!/usr/bin/env node
/*
 * Builds the two demo snapshot directories (and the backend plugin's test
 * copies) from the engine's realistic fixtures: `az aks show -o json`
 * documents and `kubectl get -o json` Lists, renamed and relabelled for the
 * demo catalog in ../entities.yaml. Deterministic: run it again after the
 * fixtures change and commit the output.
 *
 *   node examples/clusters/generate.mjs
 *   yarn prettier --write examples/clusters plugins/aks-baseline-backend/src/__fixtures__
 *
 * aks-prod-westeurope: built to the baseline; payments-worker has one gap.
 * aks-dev-koreacentral: a typical first cluster; workloads with the usual
 * mistakes (root, :latest, no limits, no probes, one replica), plus
 * catalog-search, which only runs there.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const fixtures = join(repo, 'plugins/aks-baseline-node/src/__fixtures__');

const read = rel => JSON.parse(readFileSync(join(fixtures, rel), 'utf8'));
const clone = value => structuredClone(value);

/** A stable UUID-shaped id from a string, so reruns give the same files. */
function uid(seed) {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

function listOf(items) {
  return {
    apiVersion: 'v1',
    kind: 'List',
    metadata: { resourceVersion: '' },
    items,
  };
}

function meta(object, { name, namespace, labels, seed }) {
  object.metadata.name = name;
  if (namespace) object.metadata.namespace = namespace;
  if (labels !== undefined) object.metadata.labels = labels;
  object.metadata.uid = uid(seed);
  delete object.metadata.managedFields;
  return object;
}

const storefrontList = read('kubernetes/compliant-shop-storefront.json');
const byKind = (list, kind, name) =>
  list.items.find(
    i => i.kind === kind && (name === undefined || i.metadata.name === name),
  );

/** The compliant namespace set: Namespace, deny-all, quota, limits. */
function namespaceSet(cluster, ns, team, { compliant }) {
  const namespace = meta(clone(byKind(storefrontList, 'Namespace')), {
    name: ns,
    labels: compliant
      ? {
          environment: cluster.environment,
          'kubernetes.io/metadata.name': ns,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          team,
        }
      : { 'kubernetes.io/metadata.name': ns, team },
    seed: `${cluster.name}/ns/${ns}`,
  });
  if (!compliant) return [namespace];
  const deny = meta(
    clone(byKind(storefrontList, 'NetworkPolicy', 'deny-all-ingress')),
    {
      name: 'deny-all-ingress',
      namespace: ns,
      seed: `${cluster.name}/${ns}/deny`,
    },
  );
  const quota = meta(clone(byKind(storefrontList, 'ResourceQuota')), {
    name: `${ns}-quota`,
    namespace: ns,
    seed: `${cluster.name}/${ns}/quota`,
  });
  const limits = meta(clone(byKind(storefrontList, 'LimitRange')), {
    name: `${ns}-limits`,
    namespace: ns,
    seed: `${cluster.name}/${ns}/limits`,
  });
  return [namespace, deny, quota, limits];
}

/**
 * One application: ServiceAccount, Deployment, Service (unless a worker),
 * PDB, HPA, allow NetworkPolicy, cloned from the compliant storefront and
 * then broken by `flaws`.
 */
function app(cluster, spec) {
  const { name, namespace, version, kubernetesId, worker, flaws = [] } = spec;
  const seed = `${cluster.name}/${namespace}/${name}`;
  const has = flaw => flaws.includes(flaw);
  const appLabels = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': 'online-store',
  };
  if (kubernetesId) appLabels['backstage.io/kubernetes-id'] = kubernetesId;
  const selector = { 'app.kubernetes.io/name': name };
  const out = [];

  const sa = meta(clone(byKind(storefrontList, 'ServiceAccount')), {
    name,
    namespace,
    labels: { ...appLabels, 'azure.workload.identity/use': 'true' },
    seed: `${seed}/sa`,
  });
  // One managed identity per application.
  sa.metadata.annotations['azure.workload.identity/client-id'] = uid(
    `${seed}/identity`,
  );
  out.push(sa);

  const deployment = meta(clone(byKind(storefrontList, 'Deployment')), {
    name,
    namespace,
    labels: { ...appLabels, 'app.kubernetes.io/version': version },
    seed: `${seed}/deploy`,
  });
  const d = deployment.spec;
  d.selector.matchLabels = { ...selector };
  d.template.metadata.labels = {
    ...appLabels,
    'azure.workload.identity/use': 'true',
  };
  const pod = d.template.spec;
  pod.serviceAccount = name;
  pod.serviceAccountName = name;
  pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels =
    { ...selector };
  for (const t of pod.topologySpreadConstraints) {
    t.labelSelector.matchLabels = { ...selector };
  }
  const container = pod.containers[0];
  container.name = name;
  container.image = `contoso.azurecr.io/${namespace}/${name}:${version}`;
  deployment.status.conditions[1].message = `ReplicaSet "${name}-6d9f8c7b5d" has successfully progressed.`;
  if (worker) {
    // A queue consumer: no port, no Service; an exec liveness probe.
    delete container.ports;
    delete container.readinessProbe;
    container.livenessProbe = {
      exec: { command: ['/app/healthcheck'] },
      periodSeconds: 20,
      timeoutSeconds: 2,
      failureThreshold: 3,
      successThreshold: 1,
    };
  }

  if (has('one-replica')) {
    d.replicas = 1;
    deployment.status.replicas = 1;
    deployment.status.readyReplicas = 1;
    deployment.status.availableReplicas = 1;
    deployment.status.updatedReplicas = 1;
  }
  if (has('latest')) {
    container.image = `contoso.azurecr.io/${namespace}/${name}:latest`;
    container.imagePullPolicy = 'Always';
  }
  if (has('docker-hub')) {
    container.image = `docker.io/contoso/${name}:${version}`;
  }
  if (has('root')) {
    delete pod.securityContext;
    container.securityContext = { runAsUser: 0 };
  }
  if (has('writable-root')) {
    container.securityContext.readOnlyRootFilesystem = false;
  }
  if (has('no-limits')) {
    container.resources = { requests: { cpu: '100m', memory: '128Mi' } };
  }
  if (has('no-probes')) {
    delete container.livenessProbe;
    delete container.readinessProbe;
  }
  if (has('no-spread')) {
    delete pod.affinity;
    delete pod.topologySpreadConstraints;
  }
  if (has('no-workload-identity')) {
    delete d.template.metadata.labels['azure.workload.identity/use'];
    delete sa.metadata.labels;
    delete sa.metadata.annotations;
  }
  out.push(deployment);

  if (!worker) {
    const service = meta(clone(byKind(storefrontList, 'Service')), {
      name,
      namespace,
      labels: { ...appLabels },
      seed: `${seed}/svc`,
    });
    service.spec.selector = { ...selector };
    delete service.spec.clusterIP;
    delete service.spec.clusterIPs;
    if (has('load-balancer')) {
      service.spec.type = 'LoadBalancer';
    }
    out.push(service);
  }
  if (!has('no-pdb')) {
    const pdb = meta(clone(byKind(storefrontList, 'PodDisruptionBudget')), {
      name,
      namespace,
      labels: { ...appLabels },
      seed: `${seed}/pdb`,
    });
    pdb.spec.selector.matchLabels = { ...selector };
    out.push(pdb);
  }
  if (!has('no-hpa')) {
    const hpa = meta(clone(byKind(storefrontList, 'HorizontalPodAutoscaler')), {
      name,
      namespace,
      labels: { ...appLabels },
      seed: `${seed}/hpa`,
    });
    hpa.spec.scaleTargetRef.name = name;
    out.push(hpa);
  }
  if (!has('no-network-policy') && !worker) {
    const allow = meta(
      clone(
        byKind(storefrontList, 'NetworkPolicy', 'allow-ingress-to-storefront'),
      ),
      { name: `allow-ingress-to-${name}`, namespace, seed: `${seed}/np` },
    );
    allow.spec.podSelector.matchLabels = { ...selector };
    out.push(allow);
  }
  return out;
}

function managedCluster(source, cluster) {
  const doc = read(source);
  const oldName = doc.name;
  const oldGroup = doc.resourceGroup;
  const text = JSON.stringify(doc)
    .split(oldName)
    .join(cluster.name)
    .split(oldGroup)
    .join(cluster.resourceGroup)
    .split(doc.location)
    .join(cluster.location);
  const out = JSON.parse(text);
  out.tags = { ...out.tags, ...cluster.tags };
  return out;
}

function rename(doc, from, to) {
  return JSON.parse(JSON.stringify(doc).split(from).join(to));
}

function write(dir, files) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, value] of Object.entries(files)) {
    writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  }
}

// ------------------------------------------------------------------- prod

const prod = {
  name: 'aks-prod-westeurope',
  resourceGroup: 'rg-online-store-prod-weu',
  location: 'westeurope',
  environment: 'production',
  tags: {
    Environment: 'Production',
    Owner: 'platform-engineering',
    Service: 'online-store',
  },
};
const prodCluster = managedCluster('azure/aks-show-compliant.json', prod);
const compliantSource = read('azure/aks-show-compliant.json');
const prodMaintenance = rename(
  rename(
    read('azure/aks-maintenanceconfiguration-list.json'),
    compliantSource.name,
    prod.name,
  ),
  compliantSource.resourceGroup,
  prod.resourceGroup,
);
const versions = read('azure/aks-get-versions.json');

function prodWorkloads({ full }) {
  const items = [
    ...namespaceSet(prod, 'payments', 'team-payments', { compliant: true }),
    ...app(prod, {
      name: 'checkout-api',
      namespace: 'payments',
      version: '2.8.1',
      kubernetesId: 'checkout-api',
    }),
  ];
  if (full) {
    items.push(
      ...app(prod, {
        name: 'payments-worker',
        namespace: 'payments',
        version: '1.12.0',
        worker: true,
        flaws: ['writable-root', 'no-hpa'],
      }),
      ...namespaceSet(prod, 'storefront', 'team-storefront', {
        compliant: true,
      }),
      ...app(prod, {
        name: 'storefront-web',
        namespace: 'storefront',
        version: '5.3.0',
        kubernetesId: 'storefront-web',
      }),
    );
  }
  return listOf(items);
}

// -------------------------------------------------------------------- dev

const dev = {
  name: 'aks-dev-koreacentral',
  resourceGroup: 'rg-online-store-dev-krc',
  location: 'koreacentral',
  environment: 'development',
  tags: { Environment: 'Development', team: 'online-store' },
};
const devCluster = managedCluster('azure/aks-show-typical.json', dev);
const typicalSource = read('azure/aks-show-typical.json');
const devUpgrades = rename(
  rename(
    read('azure/aks-get-upgrades-typical.json'),
    typicalSource.name,
    dev.name,
  ),
  typicalSource.resourceGroup,
  dev.resourceGroup,
);

function devWorkloads({ full }) {
  const items = [
    ...namespaceSet(dev, 'payments', 'team-payments', { compliant: false }),
    ...app(dev, {
      name: 'checkout-api',
      namespace: 'payments',
      version: '2.9.0-rc.1',
      kubernetesId: 'checkout-api',
      flaws: ['one-replica', 'no-pdb', 'no-network-policy', 'no-spread'],
    }),
    ...namespaceSet(dev, 'storefront', 'team-storefront', {
      compliant: false,
    }),
    ...app(dev, {
      name: 'catalog-search',
      namespace: 'storefront',
      version: '0.7.3',
      kubernetesId: 'catalog-search',
      flaws: [
        'latest',
        'root',
        'no-limits',
        'no-probes',
        'one-replica',
        'no-pdb',
        'no-hpa',
        'no-network-policy',
        'no-spread',
        'no-workload-identity',
        'load-balancer',
      ],
    }),
  ];
  if (full) {
    items.push(
      ...app(dev, {
        name: 'payments-worker',
        namespace: 'payments',
        version: '1.13.0-beta.2',
        worker: true,
        flaws: ['root', 'no-limits', 'one-replica', 'no-pdb', 'no-hpa'],
      }),
      ...app(dev, {
        name: 'storefront-web',
        namespace: 'storefront',
        version: '5.4.0-dev',
        kubernetesId: 'storefront-web',
        flaws: ['docker-hub', 'no-pdb', 'no-network-policy', 'no-spread'],
      }),
    );
  }
  return listOf(items);
}

// ------------------------------------------------------ beyond the seed

/**
 * The AKS-2026 settings (AX- rules) as `az aks show` prints them, spelled out
 * (an az file does not say its api-version, so an absent field is unknown).
 */
function with2026(cluster, { hardened }) {
  const c = clone(cluster);
  c.securityProfile = {
    ...c.securityProfile,
    imageCleaner: { enabled: hardened, intervalHours: hardened ? 168 : null },
    azureKeyVaultKms: hardened
      ? {
          enabled: true,
          keyId: `https://kv-${c.name}.vault.azure.net/keys/etcd/4f2b9c1d7e8a4b6c9d0e1f2a3b4c5d6e`,
          keyVaultNetworkAccess: 'Private',
          keyVaultResourceId: `${
            c.id.split('/providers/')[0]
          }/providers/Microsoft.KeyVault/vaults/kv-${c.name}`,
        }
      : {
          enabled: false,
          keyId: null,
          keyVaultNetworkAccess: 'Public',
          keyVaultResourceId: null,
        },
  };
  c.apiServerAccessProfile = {
    ...c.apiServerAccessProfile,
    disableRunCommand: hardened,
  };
  c.nodeResourceGroupProfile = {
    restrictionLevel: hardened ? 'ReadOnly' : 'Unrestricted',
  };
  c.metricsProfile = { costAnalysis: { enabled: hardened } };
  for (const pool of c.agentPoolProfiles ?? []) {
    pool.securityProfile = {
      enableSecureBoot: hardened,
      enableVTPM: hardened,
      sshAccess: hardened ? 'Disabled' : 'LocalUser',
    };
  }
  return c;
}

/** The cluster's Deployment Safeguards as GET …/deploymentSafeguards lists them. */
function safeguardsOf(cluster, level, pss) {
  return {
    value: [
      {
        id: `${cluster.id}/providers/Microsoft.ContainerService/deploymentSafeguards/default`,
        name: 'default',
        type: 'Microsoft.ContainerService/deploymentSafeguards',
        properties: {
          level,
          podSecurityStandardsLevel: pss,
          excludedNamespaces: [],
          systemExcludedNamespaces: [
            'kube-system',
            'calico-system',
            'gatekeeper-system',
          ],
          provisioningState: 'Succeeded',
        },
      },
    ],
  };
}

/** An AKS Backup instance of the cluster (Data Protection extension routing list). */
function backupOf(cluster) {
  const vault = `${
    cluster.id.split('/providers/')[0]
  }/providers/Microsoft.DataProtection/backupVaults/bv-${cluster.name}`;
  return {
    value: [
      {
        id: `${cluster.id}/providers/Microsoft.DataProtection/backupInstances/${
          cluster.name
        }-${uid(cluster.name)}`,
        name: `${cluster.name}-${uid(cluster.name)}`,
        type: 'Microsoft.DataProtection/backupVaults/backupInstances',
        properties: {
          friendlyName: cluster.name,
          dataSourceInfo: {
            resourceID: cluster.id,
            resourceUri: cluster.id,
            datasourceType: 'Microsoft.ContainerService/managedClusters',
            resourceName: cluster.name,
            resourceType: 'Microsoft.ContainerService/managedClusters',
            resourceLocation: cluster.location,
            objectType: 'Datasource',
          },
          policyInfo: { policyId: `${vault}/backupPolicies/aks-daily` },
          protectionStatus: { status: 'ProtectionConfigured' },
          currentProtectionState: 'ProtectionConfigured',
          provisioningState: 'Succeeded',
          objectType: 'BackupInstance',
        },
      },
    ],
  };
}

// ------------------------------------------------------------------ write

const legacy = read('kubernetes/noncompliant-legacy-web.json');
const ingressClasses = read('kubernetes/ingressclasses-list.json');
const logAgent = read('kubernetes/noncompliant-node-log-agent-daemonset.json');

/**
 * What Kyverno (1.11 and later: one PolicyReport per object, named by its
 * uid, `scope` the object) reports on the dev cluster with a few of its
 * sample policies in Audit mode: shown beside the baseline's findings
 * (aksBaseline.policyReports), never scored.
 */
function kyvernoReports(workloads) {
  const at = { nanos: 0, seconds: Date.parse('2026-11-30T08:12:41Z') / 1000 };
  const result = (policy, rule, category, outcome, message) => ({
    category,
    message,
    policy,
    result: outcome,
    rule,
    scored: outcome !== 'warn',
    severity: 'medium',
    source: 'kyverno',
    timestamp: at,
  });
  const nonRoot = ok =>
    result(
      'require-run-as-nonroot',
      'autogen-run-as-non-root',
      'Pod Security Standards (Restricted)',
      ok ? 'pass' : 'fail',
      ok
        ? "validation rule 'autogen-run-as-non-root' passed."
        : 'validation error: Running as root is not allowed. Either the field spec.securityContext.runAsNonRoot must be set to `true`, or the fields spec.containers[*].securityContext.runAsNonRoot, spec.initContainers[*].securityContext.runAsNonRoot, and spec.ephemeralContainers[*].securityContext.runAsNonRoot must be set to `true`. rule autogen-run-as-non-root[0] failed at path /spec/template/spec/securityContext/runAsNonRoot/ rule autogen-run-as-non-root[1] failed at path /spec/template/spec/containers/0/securityContext/',
    );
  const latest = ok =>
    result(
      'disallow-latest-tag',
      'autogen-validate-image-tag',
      'Best Practices',
      ok ? 'pass' : 'fail',
      ok
        ? "validation rule 'autogen-validate-image-tag' passed."
        : "validation error: Using a mutable image tag e.g. 'latest' is not allowed. rule autogen-validate-image-tag failed at path /spec/template/spec/containers/0/image/",
    );
  const limits = ok =>
    result(
      'require-requests-limits',
      'autogen-validate-resources',
      'Best Practices',
      ok ? 'pass' : 'fail',
      ok
        ? "validation rule 'autogen-validate-resources' passed."
        : 'validation error: CPU and memory resource requests and memory limits are required for containers. rule autogen-validate-resources failed at path /spec/template/spec/containers/0/resources/limits/',
    );
  const registry = ok =>
    result(
      'restrict-image-registries',
      'autogen-validate-registries',
      'Best Practices, EKS Best Practices',
      ok ? 'pass' : 'warn',
      ok
        ? "validation rule 'autogen-validate-registries' passed."
        : 'validation error: Unknown image registry. rule autogen-validate-registries failed at path /spec/template/spec/containers/0/image/',
    );
  const perDeployment = {
    'checkout-api': [nonRoot(true), latest(true), limits(true), registry(true)],
    'catalog-search': [
      nonRoot(false),
      latest(false),
      limits(false),
      registry(true),
    ],
    'storefront-web': [
      nonRoot(true),
      latest(true),
      limits(true),
      registry(false),
    ],
    'payments-worker': [
      nonRoot(false),
      latest(true),
      limits(false),
      registry(true),
    ],
  };
  const items = workloads.items
    .filter(o => o.kind === 'Deployment' && perDeployment[o.metadata.name])
    .map(o => {
      const results = perDeployment[o.metadata.name];
      const summary = { error: 0, fail: 0, pass: 0, skip: 0, warn: 0 };
      for (const r of results) summary[r.result]++;
      return {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: {
          creationTimestamp: '2026-11-30T08:12:41Z',
          generation: 2,
          labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
          name: o.metadata.uid,
          namespace: o.metadata.namespace,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: o.metadata.name,
              uid: o.metadata.uid,
            },
          ],
          resourceVersion: '48211907',
          uid: uid(`policyreport-${o.metadata.uid}`),
        },
        results,
        scope: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: o.metadata.name,
          namespace: o.metadata.namespace,
          uid: o.metadata.uid,
        },
        summary,
      };
    });
  return {
    apiVersion: 'v1',
    items,
    kind: 'List',
    metadata: { resourceVersion: '' },
  };
}

write(join(here, prod.name), {
  'cluster.json': with2026(prodCluster, { hardened: true }),
  'deploymentsafeguards.json': safeguardsOf(prodCluster, 'Enforce', 'Baseline'),
  'backupinstances.json': backupOf(prodCluster),
  'maintenanceconfigurations.json': prodMaintenance,
  'kubernetesversions.json': versions,
  'workloads.json': prodWorkloads({ full: true }),
  'ingressclasses.json': ingressClasses,
});
write(join(here, dev.name), {
  'cluster.json': with2026(devCluster, { hardened: false }),
  // Safeguards only warn on a first cluster; no backup yet.
  'deploymentsafeguards.json': safeguardsOf(devCluster, 'Warn', 'Privileged'),
  'backupinstances.json': { value: [] },
  'upgradeprofile.json': devUpgrades,
  // No planned maintenance configured: a typical first cluster.
  'maintenanceconfigurations.json': [],
  'kubernetesversions.json': versions,
  'workloads.json': devWorkloads({ full: true }),
  'legacy-web.json': legacy,
  'node-log-agent.json': logAgent,
  'kyverno-policyreports.json': kyvernoReports(devWorkloads({ full: true })),
});

// Smaller copies for the backend plugin's integration tests.
const testDir = join(
  repo,
  'plugins/aks-baseline-backend/src/__fixtures__/clusters',
);
write(join(testDir, prod.name), {
  'cluster.json': prodCluster,
  'maintenanceconfigurations.json': prodMaintenance,
  'kubernetesversions.json': versions,
  'workloads.json': prodWorkloads({ full: false }),
});
write(join(testDir, dev.name), {
  'cluster.json': devCluster,
  'upgradeprofile.json': devUpgrades,
  'maintenanceconfigurations.json': [],
  'kubernetesversions.json': versions,
  'workloads.json': devWorkloads({ full: false }),
});
console.log('Wrote the demo snapshots and the backend test fixtures');
