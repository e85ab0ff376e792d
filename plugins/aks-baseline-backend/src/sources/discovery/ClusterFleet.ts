/*
 * The clusters the plugin evaluates: the configured ones, those modules add,
 * and the ones discovery found in Azure, as one live map by name (what the
 * evaluation service reads at each pass). Configured and discovered clusters
 * are merged by resource id: the configured one wins, with its name and
 * settings. A discovered cluster keeps its name from one refresh to the next,
 * so its results and history stay under it when it leaves and comes back.
 */
import type { TokenCredential } from '@azure/identity';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterSource } from '@aks-baseline/plugin-aks-baseline-node';
import type { AzureClientOverrides } from '../azure/AzureClusterSource';
import type { SourceTuning } from '../tuning';
import { armIdKey } from './armId';
import type { AzureDiscoverySpec } from './config';
import { DiscoveredClusterSource } from './DiscoveredClusterSource';
import {
  describeScope,
  listManagedClusters,
  scopeKey,
  type DiscoveryScope,
} from './listManagedClusters';
import { nameClusters, selectClusters, type ListedCluster } from './select';

/** What one refresh found. */
export interface DiscoveryRefresh {
  at: Date;
  /** Names of the discovered clusters now evaluated. */
  clusters: string[];
  added: string[];
  removed: string[];
  /** Scopes that could not be listed: their last listing is kept. */
  failures: Array<{ scope: DiscoveryScope; reason: string; status?: number }>;
}

export interface ClusterFleetOptions {
  /** Configured clusters and those of modules: always there, under their names. */
  fixed: readonly ClusterSource[];
  /** Resource ids of the configured `azure` clusters. */
  configuredIds: readonly string[];
  logger: LoggerService;
  discovery?: {
    spec: AzureDiscoverySpec;
    credential: () => TokenCredential;
    tuning: SourceTuning;
    arm?: AzureClientOverrides;
  };
}

/** Clusters by name, as the evaluation service reads them (a Map is one). */
export interface ClusterSourceMap {
  get(name: string): ClusterSource | undefined;
  has(name: string): boolean;
  keys(): Iterable<string>;
  values(): Iterable<ClusterSource>;
}

export class ClusterFleet implements ClusterSourceMap {
  private readonly fixed: ReadonlyMap<string, ClusterSource>;
  private readonly configuredIds: ReadonlySet<string>;
  private discovered = new Map<string, DiscoveredClusterSource>();
  /** Each scope's last successful listing. */
  private readonly listings = new Map<string, ListedCluster[]>();
  private refreshing?: Promise<DiscoveryRefresh>;
  private firstRefresh?: Promise<unknown>;
  lastRefresh?: DiscoveryRefresh;

  constructor(private readonly options: ClusterFleetOptions) {
    const fixed = new Map<string, ClusterSource>();
    for (const source of options.fixed) {
      if (fixed.has(source.name)) {
        throw new Error(
          `Cluster ${source.name} is configured more than once; cluster names must be unique`,
        );
      }
      fixed.set(source.name, source);
    }
    this.fixed = fixed;
    this.configuredIds = new Set(options.configuredIds.map(armIdKey));
  }

  get discoveryEnabled(): boolean {
    return this.options.discovery !== undefined;
  }

  /** Resolves once discovery has listed every scope once (at once without discovery). */
  ready(): Promise<unknown> {
    if (!this.options.discovery) return Promise.resolve();
    this.firstRefresh ??= this.refresh().catch(() => undefined);
    return this.firstRefresh;
  }

  /** Lists the clusters again; a refresh going on is joined. */
  refresh(signal?: AbortSignal): Promise<DiscoveryRefresh> {
    this.refreshing ??= this.listAndApply(signal).finally(() => {
      this.refreshing = undefined;
    });
    this.firstRefresh ??= this.refreshing.catch(() => undefined);
    return this.refreshing;
  }

  private scopes(spec: AzureDiscoverySpec): DiscoveryScope[] {
    return spec.subscriptions.flatMap(subscriptionId =>
      spec.resourceGroups
        ? spec.resourceGroups.map(resourceGroup => ({
            subscriptionId,
            resourceGroup,
          }))
        : [{ subscriptionId }],
    );
  }

  private async listAndApply(signal?: AbortSignal): Promise<DiscoveryRefresh> {
    const discovery = this.options.discovery;
    if (!discovery) throw new Error('Cluster discovery is not configured');
    const { spec, tuning } = discovery;
    const { logger } = this.options;
    const scopes = this.scopes(spec);
    const credential = discovery.credential();
    const failures: DiscoveryRefresh['failures'] = [];
    const listings = await Promise.all(
      scopes.map(scope =>
        listManagedClusters(scope, {
          credential,
          tuning,
          arm: discovery.arm,
          signal: signal ?? new AbortController().signal,
          secrets: spec.identity.clientSecret
            ? [spec.identity.clientSecret]
            : [],
        }),
      ),
    );
    scopes.forEach((scope, i) => {
      const listing = listings[i];
      if (listing.ok) {
        this.listings.set(scopeKey(scope), listing.clusters);
        for (const item of listing.skipped) {
          logger.warn(
            `Cluster discovery in ${describeScope(scope)} skipped ${item}`,
          );
        }
      } else {
        const kept = this.listings.get(scopeKey(scope));
        failures.push({
          scope,
          reason: listing.reason,
          ...(listing.status !== undefined ? { status: listing.status } : {}),
        });
        logger.warn(
          `Cluster discovery could not list ${describeScope(scope)}: ${
            listing.reason
          }; ${
            kept
              ? `keeping the ${kept.length} cluster(s) it listed last time`
              : 'no cluster of it is known yet'
          }`,
        );
      }
    });

    const seen = new Set<string>();
    const listed: ListedCluster[] = [];
    for (const cluster of [...this.listings.values()].flat()) {
      const key = armIdKey(cluster.id);
      // A cluster also configured by hand is the configured one.
      if (seen.has(key) || this.configuredIds.has(key)) continue;
      seen.add(key);
      listed.push(cluster);
    }
    const named = nameClusters(
      selectClusters(listed, spec),
      new Set(this.fixed.keys()),
    );

    const next = new Map<string, DiscoveredClusterSource>();
    for (const [name, cluster] of named) {
      const existing = this.discovered.get(name);
      next.set(
        name,
        existing && armIdKey(existing.id) === armIdKey(cluster.id)
          ? existing
          : new DiscoveredClusterSource(name, cluster.id, cluster, {
              identity: spec.identity,
              credential: discovery.credential,
              kubernetesEnabled: spec.kubernetesEnabled,
              tuning,
              arm: discovery.arm,
            }),
      );
    }
    const added = [...next.keys()].filter(n => !this.discovered.has(n));
    const removed = [...this.discovered.keys()].filter(n => !next.has(n));
    this.discovered = next;
    const refresh: DiscoveryRefresh = {
      at: new Date(),
      clusters: [...next.keys()].sort(),
      added,
      removed,
      failures,
    };
    this.lastRefresh = refresh;
    if (added.length || removed.length) {
      logger.info(
        `Cluster discovery: ${next.size} cluster(s)${
          added.length ? `; new: ${added.join(', ')}` : ''
        }${removed.length ? `; gone: ${removed.join(', ')}` : ''}`,
      );
    }
    return refresh;
  }

  // The clusters by name: the fixed ones, then the discovered ones.
  get size(): number {
    return this.fixed.size + this.discovered.size;
  }
  get(name: string): ClusterSource | undefined {
    return this.fixed.get(name) ?? this.discovered.get(name);
  }
  has(name: string): boolean {
    return this.fixed.has(name) || this.discovered.has(name);
  }
  *keys(): IterableIterator<string> {
    yield* this.fixed.keys();
    yield* this.discovered.keys();
  }
  *values(): IterableIterator<ClusterSource> {
    yield* this.fixed.values();
    yield* this.discovered.values();
  }
}
