/*
 * Reads and validates the cluster list: `aksBaseline.clusters`, plus the
 * Kubernetes plugin's `kubernetes.clusterLocatorMethods` (type `config`)
 * unless `aksBaseline.includeKubernetesPluginClusters` is false. Errors name
 * the config path. Nothing here ever comes from a request.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export type KubernetesAuthProvider = 'serviceAccount' | 'inCluster' | 'azure';

const AUTH_PROVIDERS: readonly KubernetesAuthProvider[] = [
  'serviceAccount',
  'inCluster',
  'azure',
];

/** How to reach a cluster's Kubernetes API (the `kubernetes` block). */
export interface KubernetesAccessSpec {
  /** False: the Kubernetes API is not read (ARM only; Kubernetes rules skipped). */
  enabled: boolean;
  url?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
  serviceAccountToken?: string;
  serviceAccountTokenFile?: string;
  /** Undefined on an `azure` cluster means "Entra token" unless a token is given. */
  authProvider?: KubernetesAuthProvider;
}

export interface AzureClusterSpec {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}

interface SpecBase {
  name: string;
  /** Config path the cluster was read from, for messages. */
  origin: string;
}

export type ClusterSourceSpec =
  | (SpecBase & { kind: 'snapshot'; directory: string })
  | (SpecBase & {
      kind: 'azure';
      azure: AzureClusterSpec;
      kubernetes: KubernetesAccessSpec;
    })
  | (SpecBase & { kind: 'kubernetes'; kubernetes: KubernetesAccessSpec });

/** Cluster names are storage keys and annotation values. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function invalid(path: string, message: string): InputError {
  return new InputError(`Invalid configuration at '${path}': ${message}`);
}

function optionalString(
  c: Config,
  key: string,
  path: string,
): string | undefined {
  const v = c.getOptionalString(key);
  if (v !== undefined && v.trim() === '') {
    throw invalid(`${path}.${key}`, 'must not be empty');
  }
  return v;
}

function requiredString(c: Config, key: string, path: string): string {
  const v = optionalString(c, key, path);
  if (v === undefined) throw invalid(`${path}.${key}`, 'is required');
  return v;
}

function checkUrl(url: string, skipTLSVerify: boolean, path: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(path, `'${url}' is not a URL`);
  }
  if (parsed.username || parsed.password) {
    throw invalid(path, 'must not contain credentials');
  }
  if (parsed.protocol === 'http:' && !skipTLSVerify) {
    throw invalid(
      path,
      'an http:// URL is only accepted with skipTLSVerify: true (test setups); use https://',
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalid(path, 'must be an https:// URL');
  }
}

function readKubernetesBlock(
  k: Config,
  path: string,
  forAzure: boolean,
): KubernetesAccessSpec {
  const enabled = k.getOptionalBoolean('enabled') ?? true;
  if (!enabled && !forAzure) {
    throw invalid(
      `${path}.enabled`,
      'can only be false on an azure cluster (there would be nothing to read)',
    );
  }
  const skipTLSVerify = k.getOptionalBoolean('skipTLSVerify');
  const url = optionalString(k, 'url', path);
  if (url) checkUrl(url, skipTLSVerify ?? false, `${path}.url`);
  const caData = optionalString(k, 'caData', path);
  const caFile = optionalString(k, 'caFile', path);
  if (caData && caFile) {
    throw invalid(path, 'give caData or caFile, not both');
  }
  const serviceAccountToken = optionalString(k, 'serviceAccountToken', path);
  const serviceAccountTokenFile = optionalString(
    k,
    'serviceAccountTokenFile',
    path,
  );
  if (serviceAccountToken && serviceAccountTokenFile) {
    throw invalid(
      path,
      'give serviceAccountToken or serviceAccountTokenFile, not both',
    );
  }
  const provider = optionalString(k, 'authProvider', path);
  if (
    provider !== undefined &&
    !AUTH_PROVIDERS.includes(provider as KubernetesAuthProvider)
  ) {
    throw invalid(
      `${path}.authProvider`,
      `must be one of ${AUTH_PROVIDERS.join(', ')}, got '${provider}'`,
    );
  }
  let authProvider = provider as KubernetesAuthProvider | undefined;
  const hasToken = Boolean(serviceAccountToken || serviceAccountTokenFile);
  if (authProvider === 'azure' && hasToken) {
    throw invalid(
      path,
      'authProvider azure uses a Microsoft Entra token; remove serviceAccountToken(File)',
    );
  }
  if (authProvider === undefined && hasToken) authProvider = 'serviceAccount';
  if (authProvider === 'serviceAccount' && !hasToken) {
    throw invalid(
      path,
      'authProvider serviceAccount needs serviceAccountToken or serviceAccountTokenFile (or use authProvider inCluster)',
    );
  }
  if (!forAzure && enabled) {
    if (authProvider === undefined) {
      throw invalid(
        path,
        'set serviceAccountToken, serviceAccountTokenFile or authProvider (serviceAccount, inCluster or azure)',
      );
    }
    if (!url && authProvider !== 'inCluster') {
      throw invalid(`${path}.url`, 'is required');
    }
  }
  return {
    enabled,
    ...(url ? { url } : {}),
    ...(caData ? { caData } : {}),
    ...(caFile ? { caFile } : {}),
    ...(skipTLSVerify !== undefined ? { skipTLSVerify } : {}),
    ...(serviceAccountToken ? { serviceAccountToken } : {}),
    ...(serviceAccountTokenFile ? { serviceAccountTokenFile } : {}),
    ...(authProvider ? { authProvider } : {}),
  };
}

function readAzureBlock(a: Config, path: string): AzureClusterSpec {
  const spec: AzureClusterSpec = {
    subscriptionId: requiredString(a, 'subscriptionId', path),
    resourceGroup: requiredString(a, 'resourceGroup', path),
    clusterName: requiredString(a, 'clusterName', path),
  };
  const tenantId = optionalString(a, 'tenantId', path);
  const clientId = optionalString(a, 'clientId', path);
  const clientSecret = optionalString(a, 'clientSecret', path);
  if (clientSecret && !(tenantId && clientId)) {
    throw invalid(path, 'clientSecret needs tenantId and clientId');
  }
  if (tenantId) spec.tenantId = tenantId;
  if (clientId) spec.clientId = clientId;
  if (clientSecret) spec.clientSecret = clientSecret;
  return spec;
}

/** `aksBaseline.clusters`: throws InputError naming the path on any mistake. */
export function readConfiguredClusters(config: Config): ClusterSourceSpec[] {
  const list = config.getOptionalConfigArray('aksBaseline.clusters') ?? [];
  const specs: ClusterSourceSpec[] = [];
  const seen = new Map<string, string>();
  list.forEach((c, i) => {
    const path = `aksBaseline.clusters[${i}]`;
    const name = requiredString(c, 'name', path);
    if (!NAME.test(name)) {
      throw invalid(
        `${path}.name`,
        `'${name}' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    const previous = seen.get(name);
    if (previous) {
      throw invalid(`${path}.name`, `'${name}' is already used by ${previous}`);
    }
    seen.set(name, path);

    const hasSnapshot = c.has('snapshot');
    const hasAzure = c.has('azure');
    const hasKubernetes = c.has('kubernetes');
    if (hasSnapshot && (hasAzure || hasKubernetes)) {
      throw invalid(
        path,
        'a snapshot cluster cannot also have azure or kubernetes settings',
      );
    }
    if (hasSnapshot) {
      specs.push({
        name,
        origin: path,
        kind: 'snapshot',
        directory: requiredString(
          c.getConfig('snapshot'),
          'directory',
          `${path}.snapshot`,
        ),
      });
    } else if (hasAzure) {
      specs.push({
        name,
        origin: path,
        kind: 'azure',
        azure: readAzureBlock(c.getConfig('azure'), `${path}.azure`),
        kubernetes: hasKubernetes
          ? readKubernetesBlock(
              c.getConfig('kubernetes'),
              `${path}.kubernetes`,
              true,
            )
          : { enabled: true },
      });
    } else if (hasKubernetes) {
      specs.push({
        name,
        origin: path,
        kind: 'kubernetes',
        kubernetes: readKubernetesBlock(
          c.getConfig('kubernetes'),
          `${path}.kubernetes`,
          false,
        ),
      });
    } else {
      throw invalid(path, 'needs one of snapshot, azure or kubernetes');
    }
  });
  return specs;
}

const AUTH_PROVIDER_ANNOTATION = 'kubernetes.io/auth-provider';

/**
 * Clusters of the Kubernetes plugin (`clusterLocatorMethods` of type
 * `config`) this plugin can read with a backend identity: `serviceAccount`
 * (its token, or the pod's own service account token without one) and
 * `azure`/`aks` (a Microsoft Entra token of the backend's identity). Others
 * are skipped with a log line; names taken already are skipped.
 */
export function readKubernetesPluginClusters(
  config: Config,
  taken: ReadonlySet<string>,
  logger: LoggerService,
): ClusterSourceSpec[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const specs: ClusterSourceSpec[] = [];
  const names = new Set(taken);
  methods.forEach((method, m) => {
    if (method.getOptionalString('type') !== 'config') return;
    const clusters = method.getOptionalConfigArray('clusters') ?? [];
    clusters.forEach((c, i) => {
      const path = `kubernetes.clusterLocatorMethods[${m}].clusters[${i}]`;
      const name = c.getOptionalString('name');
      const url = c.getOptionalString('url');
      if (!name || !url) {
        logger.warn(`AKS Baseline skips ${path}: it has no name or url`);
        return;
      }
      if (names.has(name)) {
        logger.debug(
          `AKS Baseline: Kubernetes plugin cluster '${name}' (${path}) is configured under aksBaseline.clusters already`,
        );
        return;
      }
      if (!NAME.test(name)) {
        logger.warn(
          `AKS Baseline skips ${path}: the name '${name}' is not a valid cluster name`,
        );
        return;
      }
      // Keys like `kubernetes.io/auth-provider` are not valid config paths:
      // read the block as a plain object, as the Kubernetes plugin does.
      const raw = c.getOptional('authMetadata');
      const metadata: Record<string, unknown> =
        typeof raw === 'object' && raw !== null && !Array.isArray(raw)
          ? (raw as Record<string, unknown>)
          : {};
      const metadataString = (key: string) =>
        typeof metadata[key] === 'string'
          ? (metadata[key] as string)
          : undefined;
      const provider =
        metadataString(AUTH_PROVIDER_ANNOTATION) ??
        c.getOptionalString('authProvider');
      const skipTLSVerify = c.getOptionalBoolean('skipTLSVerify') ?? false;
      try {
        checkUrl(url, skipTLSVerify, `${path}.url`);
      } catch (error) {
        logger.warn(`AKS Baseline skips ${path}: ${(error as Error).message}`);
        return;
      }
      const access: KubernetesAccessSpec = {
        enabled: true,
        url,
        skipTLSVerify,
      };
      const caData = c.getOptionalString('caData');
      const caFile = c.getOptionalString('caFile');
      if (caData) access.caData = caData;
      else if (caFile) access.caFile = caFile;
      if (provider === 'serviceAccount') {
        const token =
          c.getOptionalString('serviceAccountToken') ??
          metadataString('serviceAccountToken');
        if (token) {
          access.authProvider = 'serviceAccount';
          access.serviceAccountToken = token;
        } else {
          // As the Kubernetes plugin does: the backend pod's own token.
          access.authProvider = 'inCluster';
        }
      } else if (provider === 'azure' || provider === 'aks') {
        access.authProvider = 'azure';
      } else {
        logger.info(
          `AKS Baseline skips Kubernetes plugin cluster '${name}': authProvider '${provider}' cannot be used by a scheduled backend task (supported: serviceAccount, azure, aks)`,
        );
        return;
      }
      names.add(name);
      specs.push({
        name,
        origin: path,
        kind: 'kubernetes',
        kubernetes: access,
      });
    });
  });
  return specs;
}

/** Every cluster to evaluate, validated. */
export function readClusterSpecs(
  config: Config,
  logger: LoggerService,
): ClusterSourceSpec[] {
  const own = readConfiguredClusters(config);
  const include =
    config.getOptionalBoolean('aksBaseline.includeKubernetesPluginClusters') ??
    true;
  if (!include) return own;
  return [
    ...own,
    ...readKubernetesPluginClusters(
      config,
      new Set(own.map(s => s.name)),
      logger,
    ),
  ];
}
