/*
 * `aksBaseline.scaffolder` configuration, read and validated once when the
 * module starts: a misconfigured cluster fails the backend's start-up, not a
 * developer's template run.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  BUILT_IN_DEFAULTS,
  countProblem,
  ENVIRONMENTS,
  Environment,
  LimitRangeValues,
  NamespaceDefaults,
  Quota,
  QUOTA_KEYS,
  QuotaPreset,
  labelValueProblem,
  quantityProblem,
  resourceNameProblem,
} from './manifests';

/** @public */
export type ClusterAuth =
  | { type: 'serviceAccountToken'; token: string }
  | { type: 'azure'; clientId?: string; tenantId?: string };

/** @public */
export interface ClusterTarget {
  name: string;
  /** Absent for a cluster only rendered for (GitOps). */
  url?: string;
  /** PEM text of the CA bundle, decoded from `caData`. */
  ca?: string;
  /** Absent for a cluster only rendered for (GitOps). */
  auth?: ClusterAuth;
  environments: Environment[];
  /** The cluster in Azure Resource Manager: managed namespaces, OIDC issuer. */
  managedCluster?: ManagedClusterTarget;
}

/**
 * Where a cluster is in Azure Resource Manager, and whether namespaces on it
 * may be created as AKS managed namespaces.
 *
 * @public
 */
export interface ManagedClusterTarget {
  subscriptionId: string;
  resourceGroup: string;
  /** The managed cluster's ARM name. */
  name: string;
  /** False: only the OIDC issuer is read; namespaces go through Kubernetes. */
  managedNamespaces: boolean;
  /** For DefaultAzureCredential: a user-assigned managed identity's client id. */
  clientId?: string;
  tenantId?: string;
}

/**
 * A cluster the create action can reach.
 *
 * @public
 */
export type ReachableCluster = ClusterTarget & {
  url: string;
  auth: ClusterAuth;
};

/** @public */
export interface ScaffolderSettings {
  clusters: ClusterTarget[];
  defaults: NamespaceDefaults;
  requestTimeoutMs: number;
  /** Passed to the engine's evaluate() as `config`. */
  baseline?: unknown;
}

/** `caData` as PEM: kubeconfig-style base64, or PEM given directly. */
export function decodeCaData(caData: string, where: string): string {
  const trimmed = caData.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  if (!decoded.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(
      `${where}: caData is neither a PEM certificate nor base64 of one`,
    );
  }
  return decoded;
}

const ARM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.()-]{0,89}$/;

function readManagedCluster(
  config: Config | undefined,
  where: string,
): ManagedClusterTarget | undefined {
  if (!config) return undefined;
  const subscriptionId = config.getString('subscriptionId');
  if (!/^[0-9a-fA-F-]{36}$/.test(subscriptionId)) {
    throw new Error(`${where}.subscriptionId: not a subscription id (a UUID)`);
  }
  const resourceGroup = config.getString('resourceGroup');
  const name = config.getString('name');
  for (const [key, value] of [
    ['resourceGroup', resourceGroup],
    ['name', name],
  ]) {
    if (!ARM_NAME.test(value)) {
      throw new Error(`${where}.${key}: "${value}" is not an Azure name`);
    }
  }
  return {
    subscriptionId,
    resourceGroup,
    name,
    managedNamespaces: config.getOptionalBoolean('managedNamespaces') ?? true,
    clientId: config.getOptionalString('clientId'),
    tenantId: config.getOptionalString('tenantId'),
  };
}

function readCluster(config: Config, index: number): ClusterTarget {
  const where = `aksBaseline.scaffolder.clusters[${index}]`;
  const name = config.getString('name');
  const url = config.getOptionalString('url');
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${where}.url: "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'https:') {
      throw new Error(
        `${where}.url: the API server must be reached over https`,
      );
    }
  }
  const caData = config.getOptionalString('caData');
  const authConfig = config.getOptionalConfig('auth');
  let auth: ClusterAuth | undefined;
  if (authConfig) {
    const token = authConfig.getOptionalString('serviceAccountToken');
    const hasAzure = authConfig.has('azure');
    const azure = authConfig.getOptionalConfig('azure');
    if (token && hasAzure) {
      throw new Error(
        `${where}.auth: set either serviceAccountToken or azure, not both`,
      );
    }
    if (token) {
      auth = { type: 'serviceAccountToken', token };
    } else if (hasAzure) {
      auth = {
        type: 'azure',
        clientId: azure?.getOptionalString('clientId'),
        tenantId: azure?.getOptionalString('tenantId'),
      };
    } else {
      throw new Error(
        `${where}.auth: set serviceAccountToken (a secret) or azure ({} for DefaultAzureCredential)`,
      );
    }
  }
  if (auth && !url) {
    throw new Error(`${where}: auth is set but url is missing`);
  }
  const environments = config.getStringArray('environments');
  for (const env of environments) {
    if (!(ENVIRONMENTS as readonly string[]).includes(env)) {
      throw new Error(
        `${where}.environments: "${env}" is not one of ${ENVIRONMENTS.join(
          ', ',
        )}`,
      );
    }
  }
  if (environments.length === 0) {
    throw new Error(`${where}.environments: list at least one environment`);
  }
  return {
    name,
    url: url?.replace(/\/+$/, ''),
    ca: caData ? decodeCaData(caData, where) : undefined,
    auth,
    environments: environments as Environment[],
    managedCluster: readManagedCluster(
      config.getOptionalConfig('managedCluster'),
      `${where}.managedCluster`,
    ),
  };
}

function readPresets(config: Config | undefined): Record<QuotaPreset, Quota> {
  const presets: Record<string, Quota> = {
    ...BUILT_IN_DEFAULTS.quotaPresets,
  };
  if (!config) return presets as Record<QuotaPreset, Quota>;
  for (const preset of config.keys()) {
    // Template parameters name presets; a name such as __proto__ would
    // not even be stored as one.
    if (preset === '' || labelValueProblem(preset)) {
      throw new Error(
        `aksBaseline.scaffolder.quotaPresets: "${preset}" is not a preset name (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`,
      );
    }
    const values = config.getConfig(preset);
    const quota: Partial<Quota> = {};
    for (const key of QUOTA_KEYS) {
      // Config keys cannot contain dots: `requests.cpu` is `requests: { cpu }`.
      const raw = values.getOptional(key);
      const where = `aksBaseline.scaffolder.quotaPresets.${preset}.${key}`;
      if (raw === undefined) throw new Error(`${where}: missing`);
      const problem =
        key === 'persistentvolumeclaims' || key === 'services.loadbalancers'
          ? countProblem(raw)
          : quantityProblem(raw);
      if (problem) throw new Error(`${where}: ${problem}`);
      quota[key] = String(raw);
    }
    presets[preset] = quota as Quota;
  }
  return presets as Record<QuotaPreset, Quota>;
}

function readLimitRange(config: Config | undefined): LimitRangeValues {
  const base = BUILT_IN_DEFAULTS.limitRange;
  const out: LimitRangeValues = {
    default: { ...base.default },
    defaultRequest: { ...base.defaultRequest },
    min: { ...base.min },
    max: { ...base.max },
    podMax: base.podMax ? { ...base.podMax } : undefined,
  };
  if (!config) return out;
  for (const field of [
    'default',
    'defaultRequest',
    'min',
    'max',
    'podMax',
  ] as const) {
    const values = config.getOptionalConfig(field);
    if (!values) continue;
    const merged = { ...(out[field] ?? {}) };
    for (const resource of values.keys()) {
      const nameProblem = resourceNameProblem(resource);
      if (nameProblem) {
        throw new Error(
          `aksBaseline.scaffolder.limitRange.${field}: ${nameProblem}`,
        );
      }
      const raw = values.get(resource);
      const problem = quantityProblem(raw);
      if (problem) {
        throw new Error(
          `aksBaseline.scaffolder.limitRange.${field}.${resource}: ${problem}`,
        );
      }
      merged[resource] = String(raw);
    }
    out[field] = merged;
  }
  return out;
}

/** @public */
export function readScaffolderSettings(root: Config): ScaffolderSettings {
  const config = root.getOptionalConfig('aksBaseline.scaffolder');
  const clusters = (config?.getOptionalConfigArray('clusters') ?? []).map(
    readCluster,
  );
  const seen = new Set<string>();
  for (const cluster of clusters) {
    if (seen.has(cluster.name)) {
      throw new Error(
        `aksBaseline.scaffolder.clusters: the name "${cluster.name}" is used twice`,
      );
    }
    seen.add(cluster.name);
  }
  const teamRole =
    config?.getOptionalString('teamRole') ?? BUILT_IN_DEFAULTS.teamRole;
  const allowedRoles = config?.getOptionalStringArray('allowedRoles') ?? [
    ...BUILT_IN_DEFAULTS.allowedRoles,
  ];
  if (!allowedRoles.includes(teamRole)) allowedRoles.unshift(teamRole);
  return {
    clusters,
    defaults: {
      quotaPresets: readPresets(config?.getOptionalConfig('quotaPresets')),
      limitRange: readLimitRange(config?.getOptionalConfig('limitRange')),
      teamRole,
      allowedRoles,
    },
    requestTimeoutMs: config?.getOptionalNumber('requestTimeoutMs') ?? 15000,
    baseline: config?.getOptional('baseline'),
  };
}

/**
 * The configured cluster a template names, allowed for the environment;
 * an InputError naming the choices otherwise.
 */
export function findCluster(
  settings: ScaffolderSettings,
  name: string,
  environment: Environment,
): ClusterTarget {
  const cluster = settings.clusters.find(c => c.name === name);
  if (!cluster) {
    const names = settings.clusters.map(c => c.name);
    throw new InputError(
      names.length
        ? `Unknown cluster "${name}": templates may target ${names.join(
            ', ',
          )} (aksBaseline.scaffolder.clusters)`
        : `Unknown cluster "${name}": no cluster is configured under aksBaseline.scaffolder.clusters`,
    );
  }
  if (!cluster.environments.includes(environment)) {
    const allowed = settings.clusters
      .filter(c => c.environments.includes(environment))
      .map(c => c.name);
    throw new InputError(
      `Cluster "${name}" does not take ${environment} namespaces (it is configured for ${cluster.environments.join(
        ', ',
      )})${
        allowed.length
          ? `; ${environment} namespaces go to ${allowed.join(', ')}`
          : ''
      }`,
    );
  }
  return cluster;
}
