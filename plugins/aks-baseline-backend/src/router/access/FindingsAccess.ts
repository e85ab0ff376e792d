/*
 * What a caller may see: the entities whose results they may read, and the
 * clusters whose results follow a cluster `Resource` they may read.
 *
 * Access to an entity's results = the policy allows
 * `aks-baseline.findings.read` on it AND the caller may read the entity in
 * the catalog (`catalog.entity.read`). The second half is asked of the
 * catalog itself, with the caller's credentials, so that a portal whose
 * policy restricts only its catalog (and allows everything else) restricts
 * findings the same way: with no rule for findings.read, findings follow
 * the catalog.
 *
 * One `authorizeConditional` per request decides both permissions:
 * - either DENY: nothing;
 * - both ALLOW: everything, no catalog query (every cluster too);
 * - otherwise the catalog is asked, with the caller's credentials (it
 *   applies its own read conditions in its database), for the entities
 *   that match the findings.read conditions (catalogPredicate.ts; a
 *   condition that cannot be translated denies, with a log line).
 * A cluster's results follow its `Resource` (annotation
 * `aks-baseline.io/cluster`); a cluster with no such entity is shown only
 * under an unconditional ALLOW of both permissions (fail closed).
 *
 * With a cache key (a hash of the caller's own token, AccessCache.ts), a
 * user's decisions are kept half a minute, and so are the entities they may
 * see once the token comes back (its first request asks about one entity
 * only): nothing is shared between users. Without a key, every request
 * decides again.
 */
import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  createPermission,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import { aksBaselineFindingsReadPermission } from '@aks-baseline/plugin-aks-baseline-common';
import {
  AKS_BASELINE_CLUSTER_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  entityTarget,
} from '../../entities/targets';
import {
  CatalogPredicate,
  toCatalogPredicate,
  UntranslatableConditionError,
} from './catalogPredicate';
import {
  AccessCache,
  AccessCacheOptions,
  DEFAULT_ACCESS_CACHE,
} from './AccessCache';

/** The catalog's own read permission (@backstage/plugin-catalog-common/alpha). */
export const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** What one caller may see. */
export type FindingsScope =
  | { all: true }
  | {
      all: false;
      /** Entity refs, as `stringifyEntityRef` writes them. */
      entities: ReadonlySet<string>;
      /** Cluster names. */
      clusters: ReadonlySet<string>;
    };

export const NOTHING: FindingsScope = {
  all: false,
  entities: new Set(),
  clusters: new Set(),
};

type Decision =
  | { kind: 'all' }
  | { kind: 'none' }
  /** Ask the catalog, with the caller's credentials, for what matches. */
  | { kind: 'catalog'; predicate?: CatalogPredicate };

/** Entities that can have results: the annotations targets.ts reads. */
const ANNOTATED: CatalogPredicate = {
  $any: [
    KUBERNETES_ID_ANNOTATION,
    KUBERNETES_LABEL_SELECTOR_ANNOTATION,
    AKS_BASELINE_CLUSTER_ANNOTATION,
  ].map(
    a =>
      ({
        [`metadata.annotations.${a}`]: { $exists: true },
      } as CatalogPredicate),
  ),
};

const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  `metadata.annotations.${AKS_BASELINE_CLUSTER_ANNOTATION}`,
];

function both(
  a: CatalogPredicate,
  b: CatalogPredicate | undefined,
): CatalogPredicate {
  return b ? { $all: [a, b] } : a;
}

/** The cluster a `Resource` stands for, read as the evaluation reads it. */
function clusterOf(entity: Entity): string | undefined {
  return entityTarget(entity)?.clusterName;
}

/** Reasons already logged, so that a misconfigured policy is logged once, not per request. */
const LOGGED_MAX = 100;
/** Entity refs one cached scope may hold; a larger one is asked for each time. */
const MAX_SCOPE_REFS = 20_000;

/** What a kept scope counts for in the cache's budget. */
function sizeOf(scope: FindingsScope | null): number {
  return scope && !scope.all ? scope.entities.size + scope.clusters.size : 0;
}

export interface FindingsAccessOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
  /** Per-token cache; false turns it off. */
  cache?: Partial<AccessCacheOptions> | false;
  /** Entity refs one cached scope may hold (default 20,000). */
  maxScopeRefs?: number;
}

export class FindingsAccess {
  private readonly logged = new Set<string>();
  /** Per token: the decision of both permissions. */
  private readonly decisions?: AccessCache<Decision>;
  /**
   * Per token with a conditional decision: what the catalog gives it
   * (null: more than maxScopeRefs, not kept).
   */
  private readonly scopes?: AccessCache<FindingsScope | null>;

  constructor(private readonly options: FindingsAccessOptions) {
    if (options.cache !== false) {
      const cache = { ...DEFAULT_ACCESS_CACHE, ...options.cache };
      this.decisions = new AccessCache(cache);
      this.scopes = new AccessCache(cache);
    }
  }

  /**
   * Everything the caller may see (for the list routes). `key`: the
   * caller's token key (tokenKey), to use the cache.
   */
  async scope(
    credentials: BackstageCredentials,
    key?: string,
  ): Promise<FindingsScope> {
    const { decision, cacheKey } = await this.decision(credentials, key);
    if (decision.kind === 'all') return { all: true };
    if (decision.kind === 'none') return NOTHING;
    const kept =
      cacheKey && this.scopes
        ? await this.scopes.get(
            cacheKey,
            async () =>
              (await this.select(
                credentials,
                decision.predicate,
                this.maxScopeRefs,
              )) ?? null,
            sizeOf,
          )
        : null;
    return (
      kept ?? (await this.select(credentials, decision.predicate)) ?? NOTHING
    );
  }

  /** Whether the caller may see one entity's results. */
  async canSeeEntity(
    credentials: BackstageCredentials,
    entityRef: string,
    key?: string,
  ): Promise<boolean> {
    const { decision, cacheKey, known } = await this.decision(credentials, key);
    if (decision.kind !== 'catalog') return decision.kind === 'all';
    const scope = await this.keptScope(credentials, decision, cacheKey, known);
    if (scope && !scope.all) return scope.entities.has(entityRef);
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const { items } = await this.options.catalog.queryEntities(
      {
        query: both(
          { kind, 'metadata.namespace': namespace, 'metadata.name': name },
          decision.predicate,
        ),
        fields: FIELDS,
        limit: 1,
        totalItems: 'exclude',
      },
      { credentials },
    );
    return items.some(e => stringifyEntityRef(e) === entityRef);
  }

  /** Whether the caller may see one cluster's results. */
  async canSeeCluster(
    credentials: BackstageCredentials,
    cluster: string,
    key?: string,
  ): Promise<boolean> {
    const { decision, cacheKey, known } = await this.decision(credentials, key);
    if (decision.kind !== 'catalog') return decision.kind === 'all';
    const scope = await this.keptScope(credentials, decision, cacheKey, known);
    if (scope && !scope.all) return scope.clusters.has(cluster);
    const { items } = await this.options.catalog.queryEntities(
      {
        query: both(
          {
            [`metadata.annotations.${AKS_BASELINE_CLUSTER_ANNOTATION}`]:
              cluster,
          },
          decision.predicate,
        ),
        fields: FIELDS,
        limit: 20,
        totalItems: 'exclude',
      },
      { credentials },
    );
    // The catalog matches case-insensitively; cluster names do not.
    return items.some(e => clusterOf(e) === cluster);
  }

  private get maxScopeRefs(): number {
    return this.options.maxScopeRefs ?? MAX_SCOPE_REFS;
  }

  /**
   * The decision, from the cache when there is a key (`known`: it was
   * there already). Services are allowed without asking (the permission
   * framework's rule), so they are not kept.
   */
  private async decision(
    credentials: BackstageCredentials,
    key: string | undefined,
  ): Promise<{ decision: Decision; cacheKey?: string; known?: boolean }> {
    const principal = credentials.principal as { type?: string };
    if (!this.decisions || !key || principal.type !== 'user') {
      return { decision: await this.decide(credentials) };
    }
    const known = this.decisions.has(key);
    const decision = await this.decisions.get(
      key,
      () => this.decide(credentials),
      () => 0,
    );
    return { decision, cacheKey: key, known };
  }

  /**
   * The scope of a token that has been seen before: kept, being read, or
   * read now (shared by the requests that wait for it; asked again in the
   * background before it expires). A token's first request gets none: it
   * asks the catalog about its one entity or cluster, so that many users
   * opening one page each cost one small query each, not their whole
   * scope.
   */
  private async keptScope(
    credentials: BackstageCredentials,
    decision: Extract<Decision, { kind: 'catalog' }>,
    cacheKey: string | undefined,
    known: boolean | undefined,
  ): Promise<FindingsScope | null | undefined> {
    if (!cacheKey || !this.scopes) return undefined;
    if (!known && !this.scopes.has(cacheKey)) return undefined;
    return this.scopes.get(
      cacheKey,
      async () =>
        (await this.select(
          credentials,
          decision.predicate,
          this.maxScopeRefs,
        )) ?? null,
      sizeOf,
    );
  }

  /**
   * The annotated entities the catalog gives the caller under `predicate`,
   * and the clusters their Resources stand for; undefined past `max`.
   */
  private async select(
    credentials: BackstageCredentials,
    predicate: CatalogPredicate | undefined,
    max = Number.POSITIVE_INFINITY,
  ): Promise<FindingsScope | undefined> {
    const entities = new Set<string>();
    const clusters = new Set<string>();
    const pages = this.options.catalog.streamEntities(
      { query: both(ANNOTATED, predicate), fields: FIELDS, pageSize: 1000 },
      { credentials },
    );
    for await (const page of pages) {
      for (const entity of page) {
        entities.add(stringifyEntityRef(entity));
        const cluster = clusterOf(entity);
        if (cluster) clusters.add(cluster);
      }
      if (entities.size > max) return undefined;
    }
    return { all: false, entities, clusters };
  }

  private async decide(credentials: BackstageCredentials): Promise<Decision> {
    const [findings, catalog] =
      await this.options.permissions.authorizeConditional(
        [
          { permission: aksBaselineFindingsReadPermission },
          { permission: catalogEntityReadPermission },
        ],
        { credentials },
      );
    if (
      findings.result === AuthorizeResult.DENY ||
      catalog.result === AuthorizeResult.DENY
    ) {
      return { kind: 'none' };
    }
    if (
      findings.result === AuthorizeResult.ALLOW &&
      catalog.result === AuthorizeResult.ALLOW
    ) {
      return { kind: 'all' };
    }
    if (findings.result === AuthorizeResult.ALLOW) return { kind: 'catalog' };
    const predicate = this.translate(findings);
    return predicate ? { kind: 'catalog', predicate } : { kind: 'none' };
  }

  /** The conditions as a catalog query, or undefined (deny) when they cannot be. */
  private translate(
    decision: QueryPermissionResponse,
  ): CatalogPredicate | undefined {
    if (decision.result !== AuthorizeResult.CONDITIONAL) return undefined;
    try {
      if (
        decision.pluginId !== 'catalog' ||
        decision.resourceType !== 'catalog-entity'
      ) {
        throw new UntranslatableConditionError(
          `conditions for ${decision.pluginId}/${decision.resourceType}, not for the catalog's entities`,
        );
      }
      return toCatalogPredicate(decision.conditions);
    } catch (error) {
      if (!(error instanceof UntranslatableConditionError)) throw error;
      this.logOnce(
        `The policy's conditional decision on ${aksBaselineFindingsReadPermission.name} cannot be applied as a catalog query (${error.message}); the caller is shown nothing (denied)`,
      );
      return undefined;
    }
  }

  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    if (this.logged.size >= LOGGED_MAX) this.logged.clear();
    this.logged.add(message);
    this.options.logger.warn(message);
  }
}
