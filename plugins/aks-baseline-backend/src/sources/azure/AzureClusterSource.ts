/*
 * An AKS cluster read through Azure Resource Manager (@azure/arm-containerservice)
 * and then its Kubernetes API.
 *
 * ARM: the managed cluster (its failure fails the cluster), agent pools,
 * maintenance configurations, upgrade profile and available Kubernetes
 * versions (each of those failing with 403/404 is left undefined, so the
 * rules reading it are `unknown`, and logged); for the `AX-` rules, the
 * cluster's Deployment Safeguards and Data Protection backup instances
 * (through the SDK's client context: armReads.ts) and, with the Istio add-on, the
 * region's mesh revisions (any failure of those leaves only that part
 * unread, with the reason in `snapshot.arm.unreadable`).
 *
 * Kubernetes: by default at the managed cluster's FQDN (private FQDN for a
 * private cluster) from the ARM document, never from a request; the CA from
 * config or, failing that, the `certificate-authority-data` of
 * listClusterUserCredentials' kubeconfig (nothing else of it is kept); a
 * Microsoft Entra token for the AKS server application. A `kubernetes`
 * block in config overrides the URL, CA and auth.
 */
import {
  ContainerServiceClient,
  type ContainerServiceClientOptionalParams,
} from '@azure/arm-containerservice';
import {
  createContainerService,
  type ContainerServiceContext,
} from '@azure/arm-containerservice/api';
import type { TokenCredential } from '@azure/identity';
import {
  mergeAgentPools,
  normalizeAgentPools,
  normalizeKubernetesVersions,
  normalizeMaintenanceConfigurations,
  normalizeManagedCluster,
  normalizeUpgradeProfile,
  normalizeBackupInstances,
  normalizeDeploymentSafeguards,
  normalizeMeshRevisions,
  SnapshotReadError,
  type ArmReads,
  type ClusterSnapshot,
  type KindCoverage,
} from '@aks-baseline/plugin-aks-baseline-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { AzureClusterSpec, KubernetesAccessSpec } from '../config';
import {
  describeStatus,
  parseRetryAfter,
  statusOf,
  toClusterReadError,
} from '../errors';
import { resolveKubernetesAccess } from '../kubernetes/access';
import { readKubernetesObjects } from '../kubernetes/readKubernetes';
import { SourceTuning } from '../tuning';
import {
  ClusterReadError,
  ClusterReadOptions,
  ClusterSource,
} from '@aks-baseline/plugin-aks-baseline-node';
import { caFromKubeconfig } from './kubeconfigCa';
import {
  armList,
  DATA_PROTECTION_API_VERSION,
  DEPLOYMENT_SAFEGUARDS_API_VERSION,
  SDK_MANAGED_CLUSTERS_API_VERSION,
} from './armReads';

type AdditionalPolicy = NonNullable<
  ContainerServiceClientOptionalParams['additionalPolicies']
>[number];

/** Marks a 429 whose Retry-After is too long to wait for within a run. */
class RetryAfterTooLongError extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too Many Requests (Retry-After ${retryAfterSeconds}s)`);
    this.name = 'RetryAfterTooLongError';
  }
}

/**
 * Runs before the SDK's retry policy decides: a 429 asking for a longer wait
 * than we allow ends the request instead of sleeping through the run.
 */
function retryAfterLimit(maxSeconds: number): AdditionalPolicy {
  return {
    position: 'perRetry',
    policy: {
      name: 'aksBaselineRetryAfterLimit',
      async sendRequest(request, next) {
        const response = await next(request);
        if (response.status === 429) {
          const wait = parseRetryAfter(
            response.headers.get('retry-after') ?? undefined,
          );
          if (wait !== undefined && wait > maxSeconds) {
            throw new RetryAfterTooLongError(wait);
          }
        }
        return response;
      },
    },
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function hostnameOk(host: unknown): host is string {
  return typeof host === 'string' && /^[A-Za-z0-9.-]{1,253}$/.test(host);
}

/**
 * Where ARM is, when not the public cloud's management.azure.com (a sovereign
 * cloud, a local fake). It must be https: the SDK never sends a bearer token
 * over http.
 */
export interface AzureClientOverrides {
  endpoint?: string;
}

export class AzureClusterSource implements ClusterSource {
  readonly kind = 'azure' as const;
  private client?: ContainerServiceClient;
  /** The same pipeline for ARM paths the SDK has no operation for. */
  private context?: ContainerServiceContext;
  /** The bearer token of the last Kubernetes read (Entra or a token file's). */
  private lastToken?: string;

  constructor(
    readonly name: string,
    private readonly azure: AzureClusterSpec,
    private readonly kubernetes: KubernetesAccessSpec,
    private readonly credential: () => TokenCredential,
    private readonly tuning: SourceTuning,
    private readonly overrides: AzureClientOverrides = {},
  ) {}

  secretValues(): string[] {
    return [
      this.azure.clientSecret,
      this.kubernetes.serviceAccountToken,
      this.lastToken,
    ].filter((s): s is string => Boolean(s));
  }

  private clientOptions(): ContainerServiceClientOptionalParams {
    return {
      retryOptions: {
        maxRetries: this.tuning.maxRetries,
        retryDelayInMs: this.tuning.retryDelayMs,
        maxRetryDelayInMs: this.tuning.maxRetryDelayMs,
      },
      additionalPolicies: [retryAfterLimit(this.tuning.maxRetryAfterSeconds)],
      userAgentOptions: { userAgentPrefix: 'aks-baseline-backstage' },
      ...(this.overrides.endpoint ? { endpoint: this.overrides.endpoint } : {}),
    };
  }

  private getClient(): ContainerServiceClient {
    this.client ??= new ContainerServiceClient(
      this.credential(),
      this.azure.subscriptionId,
      this.clientOptions(),
    );
    return this.client;
  }

  private getContext(): ContainerServiceContext {
    this.context ??= createContainerService(
      this.credential(),
      this.azure.subscriptionId,
      this.clientOptions(),
    );
    return this.context;
  }

  private armError(error: unknown, action: string, signal: AbortSignal) {
    return toClusterReadError(error, {
      cluster: this.name,
      action,
      service: 'Azure Resource Manager',
      signal,
      secrets: this.secretValues(),
    });
  }

  /** A read whose 403/404 leaves the part unknown instead of failing. */
  private async optional<T>(
    what: string,
    read: () => Promise<T>,
    signal: AbortSignal,
    logger: LoggerService,
    reasons?: Record<string, string>,
    part?: string,
  ): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404) {
        if (reasons && part)
          reasons[part] = `Azure Resource Manager returned ${describeStatus(
            status,
          )} reading ${what}`;
        logger.warn(
          `Cluster ${
            this.name
          }: Azure Resource Manager returned ${describeStatus(
            status,
          )} reading ${what}; the rules that need it are unknown`,
        );
        return undefined;
      }
      throw this.armError(error, `reading ${what}`, signal);
    }
  }

  /**
   * A read only `AX-` rules need: whatever goes wrong (but an abort) leaves
   * the part unread, with the reason, instead of failing the cluster.
   */
  private async tolerant<T>(
    part: string,
    what: string,
    read: () => Promise<T>,
    reasons: Record<string, string>,
    signal: AbortSignal,
    logger: LoggerService,
  ): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (signal.aborted) throw this.armError(error, `reading ${what}`, signal);
      const status = statusOf(error);
      // A status says what ARM answered; otherwise the mapped error says why
      // it did not answer (secrets redacted).
      const reason =
        status !== undefined
          ? `Azure Resource Manager returned ${describeStatus(
              status,
            )} reading ${what}`
          : this.armError(error, `reading ${what}`, signal).message;
      reasons[part] = reason;
      logger.warn(
        `Cluster ${this.name}: ${reason}; the rules that need it are unknown`,
      );
      return undefined;
    }
  }

  /** A part only `AX-` rules read: a document that cannot be read leaves it unread. */
  private normalizePart<T>(
    part: string,
    reasons: Record<string, string>,
    fn: () => T,
  ): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof SnapshotReadError)) throw error;
      reasons[
        part
      ] = `Azure Resource Manager returned a document that cannot be read: ${error.message}`;
      return undefined;
    }
  }

  /** Runs an engine normaliser; a malformed ARM document fails the read. */
  private normalize<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof SnapshotReadError) {
        throw new ClusterReadError(
          `Azure Resource Manager returned a document that cannot be read: ${error.message}`,
          { cluster: this.name, code: 'invalid-response', cause: error },
        );
      }
      throw error;
    }
  }

  async read(options: ClusterReadOptions): Promise<ClusterSnapshot> {
    const { signal, logger } = options;
    const { resourceGroup, clusterName } = this.azure;
    const client = this.getClient();
    const requestOptions = { abortSignal: signal };
    const where = `${resourceGroup}/${clusterName}`;

    let raw: Record<string, any>;
    try {
      raw = (await client.managedClusters.get(
        resourceGroup,
        clusterName,
        requestOptions,
      )) as Record<string, any>;
    } catch (error) {
      throw this.armError(error, `reading managed cluster ${where}`, signal);
    }

    const reasons: Record<string, string> = {};
    const clusterPath = `/subscriptions/${this.azure.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${clusterName}`;
    const endpoint = this.overrides.endpoint ?? 'https://management.azure.com';
    const usesIstio =
      String(
        raw.serviceMeshProfile?.mode ??
          raw.properties?.serviceMeshProfile?.mode,
      ).toLowerCase() === 'istio';
    const [pools, maintenance, upgrades, versions, safeguards, backups, mesh] =
      await Promise.all([
        this.optional(
          'agent pools',
          () =>
            collect(
              client.agentPools.list(
                resourceGroup,
                clusterName,
                requestOptions,
              ),
            ),
          signal,
          logger,
        ),
        this.optional(
          'maintenance configurations',
          () =>
            collect(
              client.maintenanceConfigurations.listByManagedCluster(
                resourceGroup,
                clusterName,
                requestOptions,
              ),
            ),
          signal,
          logger,
        ),
        this.optional(
          'the upgrade profile',
          () =>
            client.managedClusters.getUpgradeProfile(
              resourceGroup,
              clusterName,
              requestOptions,
            ),
          signal,
          logger,
          reasons,
          'upgradeProfile',
        ),
        typeof raw.location === 'string'
          ? this.optional(
              `the Kubernetes versions of ${raw.location}`,
              () =>
                client.managedClusters.listKubernetesVersions(
                  raw.location,
                  requestOptions,
                ),
              signal,
              logger,
              reasons,
              'kubernetesVersions',
            )
          : Promise.resolve(undefined),
        this.tolerant(
          'deploymentSafeguards',
          'the Deployment Safeguards',
          () =>
            armList(
              this.getContext(),
              endpoint,
              `${clusterPath}/providers/Microsoft.ContainerService/deploymentSafeguards`,
              DEPLOYMENT_SAFEGUARDS_API_VERSION,
              signal,
            ),
          reasons,
          signal,
          logger,
        ),
        this.tolerant(
          'backupInstances',
          'the Data Protection backup instances',
          () =>
            armList(
              this.getContext(),
              endpoint,
              `${clusterPath}/providers/Microsoft.DataProtection/backupInstances`,
              DATA_PROTECTION_API_VERSION,
              signal,
            ),
          reasons,
          signal,
          logger,
        ),
        usesIstio && typeof raw.location === 'string'
          ? this.tolerant(
              'meshRevisions',
              `the Istio revisions of ${raw.location}`,
              () =>
                client.managedClusters.getMeshRevisionProfile(
                  raw.location,
                  'istio',
                  requestOptions,
                ),
              reasons,
              signal,
              logger,
            )
          : Promise.resolve(undefined),
      ]);

    let managedCluster = this.normalize(() =>
      normalizeManagedCluster(raw, 'managedClusters.get'),
    );
    if (pools) {
      managedCluster = this.normalize(() =>
        mergeAgentPools(
          managedCluster,
          normalizeAgentPools(pools, 'agentPools.list'),
        ),
      );
    }
    const snapshot: ClusterSnapshot = {
      name: this.name,
      managedCluster,
      objects: [],
      coverage: { mode: 'cluster', unreadable: {}, absentKinds: [] },
      ignoredKinds: {},
    };
    if (maintenance) {
      snapshot.maintenanceConfigurations = this.normalize(() =>
        normalizeMaintenanceConfigurations(
          maintenance,
          'maintenanceConfigurations.listByManagedCluster',
        ),
      );
    }
    if (upgrades) {
      snapshot.upgradeProfile = this.normalize(() =>
        normalizeUpgradeProfile(upgrades, 'managedClusters.getUpgradeProfile'),
      );
    }
    if (versions) {
      snapshot.kubernetesVersions = this.normalize(() =>
        normalizeKubernetesVersions(
          versions,
          'managedClusters.listKubernetesVersions',
        ),
      );
    }

    const arm: ArmReads = { apiVersion: SDK_MANAGED_CLUSTERS_API_VERSION };
    if (safeguards) {
      arm.deploymentSafeguards = this.normalizePart(
        'deploymentSafeguards',
        reasons,
        () => normalizeDeploymentSafeguards(safeguards, 'deploymentSafeguards'),
      );
    }
    if (backups) {
      arm.backupInstances = this.normalizePart('backupInstances', reasons, () =>
        normalizeBackupInstances(backups, 'backupInstances'),
      );
    }
    if (mesh) {
      arm.meshRevisions = this.normalizePart('meshRevisions', reasons, () =>
        normalizeMeshRevisions(mesh, 'managedClusters.getMeshRevisionProfile'),
      );
    }
    if (Object.keys(reasons).length > 0) arm.unreadable = reasons;
    snapshot.arm = arm;

    if (!this.kubernetes.enabled) {
      // ARM only: the Kubernetes side was not read, so its rules are skipped.
      snapshot.coverage = {
        mode: 'manifests',
        unreadable: {},
        absentKinds: [],
        providedKinds: [],
      };
      return snapshot;
    }
    if (raw.powerState?.code === 'Stopped') {
      const reason = 'the cluster is stopped (powerState Stopped)';
      const unreadable: KindCoverage['unreadable'] = {};
      for (const info of options.kinds) unreadable[info.kind] = reason;
      snapshot.coverage = { mode: 'cluster', unreadable, absentKinds: [] };
      logger.warn(`Cluster ${this.name}: ${reason}; Kubernetes not read`);
      return snapshot;
    }

    const read = await this.readKubernetes(raw, options);
    snapshot.objects = read.objects;
    if (read.customKinds.length > 0) snapshot.customKinds = read.customKinds;
    snapshot.coverage = read.coverage;
    snapshot.ignoredKinds = read.ignoredKinds;
    return snapshot;
  }

  /** The API server host from the ARM document (never from a request). */
  private apiServerHost(raw: Record<string, any>): string | undefined {
    const isPrivate = raw.apiServerAccessProfile?.enablePrivateCluster === true;
    const candidates = isPrivate
      ? [raw.privateFqdn, raw.privateFQDN, raw.fqdn]
      : [raw.fqdn, raw.privateFqdn, raw.privateFQDN];
    return candidates.find(hostnameOk);
  }

  private async readKubernetes(
    raw: Record<string, any>,
    options: ClusterReadOptions,
  ) {
    const { signal, logger } = options;
    const { resourceGroup, clusterName } = this.azure;
    const host = this.apiServerHost(raw);
    if (
      !host &&
      !this.kubernetes.url &&
      this.kubernetes.authProvider !== 'inCluster'
    ) {
      throw new ClusterReadError(
        'the managed cluster has no API server FQDN; configure kubernetes.url',
        { cluster: this.name, code: 'invalid-response' },
      );
    }
    const access = await resolveKubernetesAccess({
      cluster: this.name,
      spec: this.kubernetes,
      signal,
      defaultUrl: host ? `https://${host}:443` : undefined,
      defaultCa: async () => {
        let result;
        try {
          result =
            await this.getClient().managedClusters.listClusterUserCredentials(
              resourceGroup,
              clusterName,
              { abortSignal: signal },
            );
        } catch (error) {
          const mapped = this.armError(
            error,
            `reading the cluster CA (listClusterUserCredentials) of ${resourceGroup}/${clusterName}; grant Microsoft.ContainerService/managedClusters/listClusterUserCredential/action or configure kubernetes.caData`,
            signal,
          );
          throw mapped;
        }
        for (const kubeconfig of result.kubeconfigs ?? []) {
          if (!kubeconfig.value) continue;
          const found = caFromKubeconfig(kubeconfig.value, host);
          if (found) return found.caData;
        }
        throw new ClusterReadError(
          'listClusterUserCredentials returned no cluster CA; configure kubernetes.caData',
          { cluster: this.name, code: 'invalid-response' },
        );
      },
      entraCredential: this.credential,
      secrets: this.secretValues(),
    });
    this.lastToken = access.credential.token;
    return readKubernetesObjects({
      cluster: this.name,
      endpoint: access.endpoint,
      credential: access.credential,
      signal,
      logger,
      tuning: this.tuning,
      kinds: options.kinds,
    });
  }
}
