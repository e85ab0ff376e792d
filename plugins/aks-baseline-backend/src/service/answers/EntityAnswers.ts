/*
 * The entity side of the read model: each annotated entity's score over all
 * its clusters and the score route's answer, computed from the entity's
 * parts on each cluster whenever scores change and stored gzip-compressed,
 * so that a request costs one primary-key read (or none: answerCache.ts).
 */
import { randomUUID } from 'crypto';
import { constants, gzipSync } from 'zlib';
import {
  EntitiesRepository,
  EntityRecord,
  EntityTargetRecord,
} from '../../database/EntitiesRepository';
import {
  EntityScoresRepository,
  StoredEntityPart,
} from '../../database/EntityScoresRepository';
import { chunks } from '../../database/tables';
import {
  AnswerCacheOptions,
  answerEtags,
  DEFAULT_ANSWER_CACHE,
  EntityAnswer,
  EntityAnswerCache,
} from './answerCache';
import { combineEntity, entityScoreResponse } from './entityAnswer';

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

/** Compressed once when stored, sent as is per request. */
export function gzipAnswer(json: string): Buffer {
  // Synchronously: zlib's thread pool costs more than twice the CPU for answers this small.
  return gzipSync(json, { level: constants.Z_BEST_SPEED });
}

/** The entity parts one run stored for a cluster. */
interface FreshParts {
  runId: string;
  byEntity: Map<string, StoredEntityPart>;
}

export class EntityAnswers {
  private readonly cache?: EntityAnswerCache;
  /**
   * By cluster, the parts this process stored and no refresh has used
   * yet: the next refresh takes them from here instead of reading back
   * the rows it just wrote.
   */
  private readonly fresh = new Map<string, FreshParts>();

  constructor(
    private readonly entities: EntitiesRepository,
    private readonly scores: EntityScoresRepository,
    /** The run that last wrote each cluster's row (a success or a failure). */
    private readonly lastRunIds: () => Promise<Map<string, string>>,
    options: EntityAnswersOptions = {},
  ) {
    if (options.answerCache !== false) {
      this.cache = new EntityAnswerCache({
        ...DEFAULT_ANSWER_CACHE,
        ...options.answerCache,
        readVersion: () => this.entities.readVersion(ANSWERS_VERSION),
      });
    }
  }

  /**
   * The parts a run just stored for a cluster (undefined: it kept the
   * previous ones), for the next refresh.
   */
  remember(
    cluster: string,
    runId: string,
    parts: readonly StoredEntityPart[] | undefined,
  ): void {
    if (!parts) {
      this.fresh.delete(cluster);
      return;
    }
    this.fresh.set(cluster, {
      runId,
      byEntity: new Map(parts.map(p => [p.entityRef, p])),
    });
  }

  /**
   * The remembered parts still as stored: a cluster written since by
   * another run (a failure marking it stale, another replica) or removed
   * is read from its rows instead.
   */
  private async freshParts(): Promise<Map<string, FreshParts>> {
    if (this.fresh.size === 0) return new Map();
    const lastRuns = await this.lastRunIds();
    const valid = new Map<string, FreshParts>();
    for (const [cluster, parts] of this.fresh) {
      if (lastRuns.get(cluster) === parts.runId) valid.set(cluster, parts);
      else this.fresh.delete(cluster);
    }
    return valid;
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
   * per-cluster parts. With `prune`, the targets are the whole set of
   * annotated entities: any other stored entity is removed.
   */
  async refresh(
    targets: readonly EntityTargetRecord[],
    options: { prune: boolean; now?: Date },
  ): Promise<void> {
    try {
      await this.write(targets, options);
    } finally {
      // Even after a partial write: no cache may keep the older answers.
      // Other replicas see the new version within their cache's maxAge.
      try {
        await this.entities.writeVersion(ANSWERS_VERSION, randomUUID());
      } finally {
        this.cache?.clear();
      }
    }
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
    return {
      responseGzip: stored.answer,
      ...answerEtags(stored.answer),
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
    const fresh = await this.freshParts();
    const freshClusters = [...fresh.keys()];
    const parts = chunks(targets);
    const readParts = (chunk: readonly EntityTargetRecord[]) => {
      const read = this.scores.readParts(
        chunk.map(t => t.entityRef),
        freshClusters,
      );
      // Awaited below; this only keeps a failure from being unhandled meanwhile.
      read.catch(() => {});
      return read;
    };
    let nextRead = parts.length > 0 ? readParts(parts[0]) : undefined;
    for (let i = 0; i < parts.length; i++) {
      const rows = await nextRead!;
      // The next chunk is read while this one is computed and written.
      nextRead = i + 1 < parts.length ? readParts(parts[i + 1]) : undefined;
      const byRef = new Map<string, StoredEntityPart[]>();
      const add = (part: StoredEntityPart) => {
        const list = byRef.get(part.entityRef) ?? [];
        list.push(part);
        byRef.set(part.entityRef, list);
      };
      rows.forEach(add);
      for (const target of parts[i]) {
        for (const cluster of fresh.values()) {
          const part = cluster.byEntity.get(target.entityRef);
          if (part) add(part);
        }
      }
      await this.entities.upsert(
        parts[i].map(target =>
          this.record(target, byRef.get(target.entityRef) ?? [], now),
        ),
      );
    }
    for (const [cluster, used] of fresh) {
      if (this.fresh.get(cluster) === used) this.fresh.delete(cluster);
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
