/*
 * Entities over all their clusters (`aks_baseline_entities`): each
 * annotated catalog entity's combined score, and the score route's answer
 * stored as the bytes to send; and the versions (`aks_baseline_versions`)
 * that tell replicas when those answers changed.
 */
import {
  FindingCounts,
  ScoreSummary,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { emptyFindingCounts } from '../scoring';
import { ENTITIES_TO_REFRESH } from './entitiesToRefresh';
import {
  chunks,
  EMPTY_SUMMARY,
  ENTITIES,
  parseJson,
  toIso,
  VERSIONS,
} from './tables';

/** An annotated catalog entity, whether or not anything matched it. */
export interface EntityTargetRecord {
  entityRef: string;
  owner?: string;
  /** The only cluster it can be on (`backstage.io/kubernetes-cluster`, `aks-baseline.io/cluster`). */
  cluster?: string;
}

export interface StoredEntity {
  entityRef: string;
  owner?: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  failedRules: Record<string, number>;
  clusters: string[];
  resourceCount: number;
  evaluatedAt: string;
  stale: boolean;
  staleReason?: string;
}

/** One entity's row: its combined score and its stored answer. */
export interface EntityRecord {
  target: EntityTargetRecord;
  entity: StoredEntity;
  /** The score route's answer as stored (null: nothing matched). */
  answer: Buffer | null;
}

/** The stored answer of one entity, as read. */
export interface StoredAnswer {
  answer?: Buffer;
  resourceCount: number;
  /** The clusters the answer covers. */
  clusters: string[];
  /** Marked to recompute: a part changed since the answer was written. */
  pending: boolean;
}

const ENTITY_COLUMNS = [
  'entity_ref',
  'owner',
  'summary',
  'counts',
  'failed_rules',
  'clusters',
  'resource_count',
  'evaluated_at',
  'stale',
  'stale_reason',
];

function entityFromRow(row: any): StoredEntity {
  const entity: StoredEntity = {
    entityRef: row.entity_ref,
    summary: parseJson<ScoreSummary>(row.summary, EMPTY_SUMMARY),
    counts: parseJson<FindingCounts>(row.counts, emptyFindingCounts()),
    failedRules: parseJson<Record<string, number>>(row.failed_rules, {}),
    clusters: parseJson<string[]>(row.clusters, []),
    resourceCount: Number(row.resource_count ?? 0),
    evaluatedAt: toIso(row.evaluated_at)!,
    stale: Boolean(row.stale),
  };
  if (row.owner) entity.owner = row.owner;
  if (row.stale_reason) entity.staleReason = row.stale_reason;
  return entity;
}

export class EntitiesRepository {
  constructor(private readonly db: Knex) {}

  /** Writes (inserts or replaces) these entities' rows. */
  async upsert(
    records: readonly EntityRecord[],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<void> {
    if (records.length === 0) return;
    await db(ENTITIES)
      .insert(
        records.map(({ target, entity, answer }) => ({
          entity_ref: target.entityRef,
          owner: target.owner ?? null,
          cluster_filter: target.cluster ?? null,
          score: entity.summary.score,
          grade: entity.summary.grade,
          summary: JSON.stringify(entity.summary),
          counts: JSON.stringify(entity.counts),
          failed_rules: JSON.stringify(entity.failedRules),
          clusters: JSON.stringify(entity.clusters),
          resource_count: entity.resourceCount,
          evaluated_at: new Date(entity.evaluatedAt),
          stale: entity.stale,
          stale_reason: entity.staleReason ?? null,
          response_gzip: answer,
        })),
      )
      .onConflict('entity_ref')
      .merge();
  }

  /**
   * Every stored entity's target (ref, owner, cluster filter), or only
   * those of `only` (at most one chunk of refs).
   */
  async targets(
    only?: readonly string[],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<EntityTargetRecord[]> {
    const query = db(ENTITIES).select('entity_ref', 'owner', 'cluster_filter');
    if (only) query.whereIn('entity_ref', [...only]);
    const rows: {
      entity_ref: string;
      owner: string | null;
      cluster_filter: string | null;
    }[] = await query;
    return rows.map(e => ({
      entityRef: e.entity_ref,
      ...(e.owner ? { owner: e.owner } : {}),
      ...(e.cluster_filter ? { cluster: e.cluster_filter } : {}),
    }));
  }

  /** Those of `entityRefs` marked to recompute. */
  async pending(entityRefs: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    if (entityRefs.length > 1000) {
      // A long list (every entity): the marks, usually few, in one read.
      const wanted = new Set(entityRefs);
      const rows: { entity_ref: string }[] = await this.db(
        ENTITIES_TO_REFRESH,
      ).select('entity_ref');
      for (const row of rows)
        if (wanted.has(row.entity_ref)) out.add(row.entity_ref);
      return out;
    }
    for (const chunk of chunks(entityRefs)) {
      const rows: { entity_ref: string }[] = await this.db(ENTITIES_TO_REFRESH)
        .whereIn('entity_ref', chunk)
        .select('entity_ref');
      for (const row of rows) out.add(row.entity_ref);
    }
    return out;
  }

  async entityRefs(): Promise<string[]> {
    const rows: { entity_ref: string }[] = await this.db(ENTITIES).select(
      'entity_ref',
    );
    return rows.map(r => r.entity_ref);
  }

  /** Forgets these entities' rows (at most one chunk of refs). */
  async delete(entityRefs: readonly string[]): Promise<void> {
    await this.db(ENTITIES)
      .whereIn('entity_ref', [...entityRefs])
      .delete();
  }

  async get(entityRef: string): Promise<StoredEntity | undefined> {
    const row = await this.db(ENTITIES)
      .where('entity_ref', entityRef)
      .first(...ENTITY_COLUMNS);
    return row ? entityFromRow(row) : undefined;
  }

  /** The cluster the entity is limited to, if any. */
  async clusterFilter(entityRef: string): Promise<string | undefined> {
    const row = await this.db(ENTITIES)
      .where('entity_ref', entityRef)
      .first('cluster_filter');
    return row?.cluster_filter ?? undefined;
  }

  /** The stored answer, or undefined for an entity never evaluated. */
  async readAnswer(entityRef: string): Promise<StoredAnswer | undefined> {
    const row = await this.db(`${ENTITIES} as e`)
      .leftJoin(`${ENTITIES_TO_REFRESH} as m`, 'm.entity_ref', 'e.entity_ref')
      .where('e.entity_ref', entityRef)
      .first(
        'e.response_gzip as response_gzip',
        'e.resource_count as resource_count',
        'e.clusters as clusters',
        'm.entity_ref as pending',
      );
    if (!row) return undefined;
    const stored: StoredAnswer = {
      resourceCount: Number(row.resource_count ?? 0),
      clusters: parseJson<string[]>(row.clusters, []),
      pending: Boolean(row.pending),
    };
    const bytes = row.response_gzip;
    if (bytes)
      stored.answer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
    return stored;
  }

  /**
   * The stored entities (one owner's with `owner`), or only those named in
   * `only`, by entity ref.
   */
  async list(
    options: { owner?: string; only?: ReadonlySet<string> } = {},
  ): Promise<StoredEntity[]> {
    if (options.only) {
      const out: StoredEntity[] = [];
      for (const chunk of chunks([...options.only])) {
        out.push(
          ...(await this.listWhere(options.owner, q =>
            q.whereIn('entity_ref', chunk),
          )),
        );
      }
      return out.sort((a, b) =>
        a.entityRef < b.entityRef ? -1 : Number(a.entityRef > b.entityRef),
      );
    }
    return this.listWhere(options.owner);
  }

  private async listWhere(
    owner: string | undefined,
    where?: (query: Knex.QueryBuilder) => void,
  ): Promise<StoredEntity[]> {
    const query = this.db(ENTITIES).select(...ENTITY_COLUMNS);
    if (owner) query.where('owner', owner);
    where?.(query);
    const rows = await query.orderBy('entity_ref');
    return rows.map(entityFromRow);
  }

  async readVersion(name: string): Promise<string | undefined> {
    const row = await this.db(VERSIONS).where('name', name).first('version');
    return row?.version;
  }

  async writeVersion(name: string, version: string): Promise<void> {
    await this.db(VERSIONS)
      .insert({ name, version, updated_at: new Date() })
      .onConflict('name')
      .merge();
  }
}
