/*
 * The entity side of the read model: each annotated entity's score over all
 * its clusters and the score route's answer, computed from the entity's
 * parts on each cluster and stored gzip-compressed, so that a request costs
 * one primary-key read (or none: answerCache.ts). An entity is recomputed
 * when one of its parts changed (`refreshMarked`: the entities a cluster's
 * save marked, database/entitiesToRefresh.ts), or its catalog target did;
 * the clusters' evaluation times, which move on with every evaluation, are
 * brought up to date when an answer is read (answerTimes.ts).
 */
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  EntitiesRepository,
  EntityRecord,
  EntityTargetRecord,
} from '../../database/EntitiesRepository';
import {
  EntityScoresRepository,
  StoredEntityPart,
} from '../../database/EntityScoresRepository';
import {
  clearMarks,
  markIfStillChanged,
  takeMarked,
} from '../../database/entitiesToRefresh';
import { chunks } from '../../database/tables';
import {
  AnswerCacheOptions,
  answerEtags,
  DEFAULT_ANSWER_CACHE,
  EntityAnswer,
  EntityAnswerCache,
} from './answerCache';
import { combineEntity, entityScoreResponse } from './entityAnswer';
import { batchesByParts } from './partBatches';
import { gzipAnswer, latestTime, withCurrentTimes } from './answerTimes';

export { gzipAnswer };

/** The version that changes with every write of entity answers. */
const ANSWERS_VERSION = 'entity-answers';
/**
 * The version that names the shape of the stored answers: answers of an
 * older shape are built again when the store starts.
 */
const ANSWERS_FORMAT = 'entity-answers-format';
/** 2: findings paged, answers carry failing rules and facets instead. */
const CURRENT_ANSWERS_FORMAT = '2';

export interface EntityAnswersOptions {
  /**
   * The in-process cache of the score route's answers; false turns it off.
   * Default: 32 MiB, the version read at most once a second.
   */
  answerCache?:
    | Partial<Pick<AnswerCacheOptions, 'maxBytes' | 'maxAgeMs' | 'now'>>
    | false;
}

/** What the answers are read from and written to. */
export interface EntityAnswersSources {
  db: Knex;
  entities: EntitiesRepository;
  scores: EntityScoresRepository;
  /** When each cluster's entity parts were last evaluated (of `only`). */
  partTimes: (only?: readonly string[]) => Promise<Map<string, string>>;
}

/** Entities recomputed per transaction by `refreshMarked`. */
const MARKED_CHUNK = 200;

export class EntityAnswers {
  private readonly cache?: EntityAnswerCache;
  private readonly entities: EntitiesRepository;
  private readonly scores: EntityScoresRepository;

  constructor(
    private readonly sources: EntityAnswersSources,
    options: EntityAnswersOptions = {},
  ) {
    this.entities = sources.entities;
    this.scores = sources.scores;
    if (options.answerCache !== false) {
      this.cache = new EntityAnswerCache({
        ...DEFAULT_ANSWER_CACHE,
        ...options.answerCache,
        readVersion: () => this.entities.readVersion(ANSWERS_VERSION),
      });
    }
  }

  /** Builds the stored answers again when they are of an older shape. */
  async upgradeFormat(log?: (message: string) => void): Promise<void> {
    const format = await this.entities.readVersion(ANSWERS_FORMAT);
    if (format === CURRENT_ANSWERS_FORMAT) return;
    const targets = await this.entities.targets();
    if (targets.length > 0) {
      log?.(
        `Building the score answers of ${targets.length} entities again in the current shape`,
      );
    }
    await this.refresh(targets, { prune: false });
    await this.entities.writeVersion(ANSWERS_FORMAT, CURRENT_ANSWERS_FORMAT);
  }

  /**
   * Recomputes the over-all-clusters rows of the given entities from their
   * per-cluster parts (all of them: a full recompute). With `prune`, the
   * targets are the whole set of annotated entities: any other stored
   * entity is removed.
   */
  async refresh(
    targets: readonly EntityTargetRecord[],
    options: { prune: boolean; now?: Date },
  ): Promise<void> {
    try {
      await this.write(targets, options);
    } finally {
      await this.touch();
    }
  }

  /**
   * Recomputes the entities that changed: with `targets` (the whole set of
   * annotated entities, when the catalog could be read) marks first those
   * that are new or whose owner or cluster changed, and with `prune`
   * removes the stored entities no longer among them; then recomputes
   * every marked entity (`refreshMarked`). Answers how many were
   * recomputed here.
   */
  async refreshChanged(
    targets: readonly EntityTargetRecord[] | undefined,
    options: { prune?: boolean; now?: Date } = {},
  ): Promise<number> {
    if (targets) {
      if (options.prune) await this.prune(targets);
      await this.markChangedTargets(targets);
    }
    return this.refreshMarked(targets, options);
  }

  /**
   * Recomputes the marked entities (a transaction per chunk, each taking
   * its entities' marks, so that replicas refreshing at once share them)
   * until none is left that another replica is not refreshing. An entity
   * missing from `targets` keeps its stored target; one neither there nor
   * stored has left the catalog (`targets` given), or is new while the
   * catalog could not be read (written with what is known of it). Answers
   * how many were recomputed here.
   */
  async refreshMarked(
    targets: readonly EntityTargetRecord[] | undefined,
    options: { now?: Date } = {},
  ): Promise<number> {
    const byRef = new Map((targets ?? []).map(t => [t.entityRef, t]));
    let refreshed = 0;
    try {
      for (;;) {
        const done = await this.sources.db.transaction(tx =>
          this.refreshChunk(tx, byRef, targets !== undefined, options.now),
        );
        if (done === 0) break;
        refreshed += done;
      }
    } finally {
      if (refreshed > 0) await this.touch();
    }
    return refreshed;
  }

  private async refreshChunk(
    tx: Knex.Transaction,
    byRef: ReadonlyMap<string, EntityTargetRecord>,
    catalogRead: boolean,
    now: Date = new Date(),
  ): Promise<number> {
    const refs = await takeMarked(tx, MARKED_CHUNK);
    if (refs.length === 0) return 0;
    const unknown = refs.filter(ref => !byRef.has(ref));
    const stored = new Map(
      (unknown.length > 0 ? await this.entities.targets(unknown, tx) : []).map(
        t => [t.entityRef, t],
      ),
    );
    const targets = refs.flatMap(ref => {
      const target =
        byRef.get(ref) ??
        stored.get(ref) ??
        (catalogRead ? undefined : { entityRef: ref });
      return target ? [target] : [];
    });
    await this.writeBounded(targets, now, tx);
    await clearMarks(tx, refs);
    return refs.length;
  }

  /**
   * Recomputes and writes these entities (at most one chunk) in batches
   * of at most PARTS_PER_BATCH parts, each read, combined and written
   * before the next is read.
   */
  private async writeBounded(
    targets: readonly EntityTargetRecord[],
    now: Date,
    db: Knex | Knex.Transaction,
  ): Promise<void> {
    const counts = await this.scores.countParts(
      targets.map(t => t.entityRef),
      db,
    );
    for (const batch of batchesByParts(targets, counts)) {
      const parts = await this.scores.readParts(
        batch.map(t => t.entityRef),
        [],
        db,
      );
      const byEntity = new Map<string, StoredEntityPart[]>();
      for (const part of parts) {
        const list = byEntity.get(part.entityRef) ?? [];
        list.push(part);
        byEntity.set(part.entityRef, list);
      }
      await this.entities.upsert(
        batch.map(t => this.record(t, byEntity.get(t.entityRef) ?? [], now)),
        db,
      );
    }
  }

  /**
   * Marks the entities of `targets` that are not stored as they are there
   * (checked again once no refresh is writing them: one that another
   * refresh has just written is not marked for a second recompute).
   */
  private async markChangedTargets(
    targets: readonly EntityTargetRecord[],
  ): Promise<void> {
    const wanted = new Map(targets.map(t => [t.entityRef, t]));
    const differs = (ref: string, stored: Map<string, EntityTargetRecord>) => {
      const t = wanted.get(ref)!;
      const s = stored.get(ref);
      return (
        !s ||
        (s.owner ?? null) !== (t.owner ?? null) ||
        (s.cluster ?? null) !== (t.cluster ?? null)
      );
    };
    const byRef = (list: EntityTargetRecord[]) =>
      new Map(list.map(t => [t.entityRef, t]));
    const stored = byRef(await this.entities.targets());
    const candidates = [...wanted.keys()].filter(ref => differs(ref, stored));
    await markIfStillChanged(this.sources.db, candidates, async (tx, refs) => {
      const current = byRef(await this.entities.targets(refs, tx));
      return refs.filter(ref => differs(ref, current));
    });
  }

  /**
   * The stored answers changed, or the clusters' times they show moved:
   * no cache may keep the older ones. Other replicas see the new version
   * within their cache's maxAge.
   */
  async touch(): Promise<void> {
    try {
      await this.entities.writeVersion(ANSWERS_VERSION, randomUUID());
    } finally {
      this.cache?.clear();
    }
  }

  /**
   * An entity's time over its clusters as their parts' times are now (the
   * stored one is that of the entity's last recompute); an entity marked
   * to recompute keeps the time of what it shows until then.
   */
  async currentEvaluatedAt<
    T extends { entityRef: string; clusters: string[]; evaluatedAt: string },
  >(entities: readonly T[]): Promise<T[]> {
    if (entities.length === 0) return [];
    const times = await this.sources.partTimes();
    const pending = await this.entities.pending(entities.map(e => e.entityRef));
    return entities.map(e => {
      if (pending.has(e.entityRef)) return e;
      const at = latestTime(e.clusters, times, e.evaluatedAt);
      return at === e.evaluatedAt ? e : { ...e, evaluatedAt: at };
    });
  }

  /**
   * The stored answer of the score route, gzip-compressed JSON
   * (`responseGzip` is undefined when no object matched), or undefined for
   * an entity never evaluated.
   */
  get(entityRef: string): Promise<EntityAnswer | undefined> {
    return this.cache
      ? this.cache.get(entityRef, ref => this.read(ref))
      : this.read(entityRef);
  }

  private async read(entityRef: string): Promise<EntityAnswer | undefined> {
    const stored = await this.entities.readAnswer(entityRef);
    if (!stored) return undefined;
    const { resourceCount, clusters } = stored;
    if (!stored.answer) return { resourceCount };
    // Marked to recompute: what it shows is of its last recompute, times too.
    const answer = stored.pending
      ? stored.answer
      : withCurrentTimes(stored.answer, await this.sources.partTimes(clusters));
    return {
      responseGzip: answer,
      ...answerEtags(answer),
      resourceCount,
      clusters,
    };
  }

  private async write(
    targets: readonly EntityTargetRecord[],
    options: { prune: boolean; now?: Date },
  ): Promise<void> {
    const now = options.now ?? new Date();
    if (options.prune) await this.prune(targets);
    for (const chunk of chunks(targets)) {
      await this.writeBounded(chunk, now, this.sources.db);
    }
  }

  private record(
    target: EntityTargetRecord,
    parts: readonly StoredEntityPart[],
    now: Date,
  ): EntityRecord {
    const { entity, clusters } = combineEntity(target, parts, now);
    const answer =
      entity.resourceCount > 0 && clusters.length > 0
        ? gzipAnswer(JSON.stringify(entityScoreResponse(entity, clusters)))
        : null;
    return { target, entity, answer };
  }

  /** Removes the stored entities that are not among `targets`. */
  private async prune(targets: readonly EntityTargetRecord[]): Promise<void> {
    const keep = new Set(targets.map(t => t.entityRef));
    const gone = [
      ...new Set([
        ...(await this.entities.entityRefs()),
        ...(await this.scores.scoredEntityRefs()),
      ]),
    ].filter(ref => !keep.has(ref));
    for (const chunk of chunks(gone)) {
      await this.entities.delete(chunk);
      await this.scores.deleteEntities(chunk);
    }
  }
}
