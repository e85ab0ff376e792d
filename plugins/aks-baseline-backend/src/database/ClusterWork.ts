/*
 * The clusters waiting to be evaluated, shared by the replicas: a pass (the
 * schedule's, or a manual "evaluate all") queues every cluster, and each
 * replica takes one only when it has a free evaluation slot. The scheduler's
 * own tasks cannot do that: a due task goes to the replica that polls first,
 * busy or not (bench/README.md, "Evaluation spread over replicas").
 *
 * Taking a cluster is one atomic statement: on PostgreSQL an UPDATE of the
 * oldest queued row picked with `FOR UPDATE SKIP LOCKED` (replicas taking at
 * the same moment get different rows, without waiting on each other);
 * elsewhere (SQLite, one writer at a time) a conditional UPDATE of a row read
 * just before, which only one replica can win. The holder renews its rows
 * while it evaluates; a row whose holder stopped renewing (a replica that
 * died) is taken by another replica once it expires.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { EvaluationTrigger } from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { DEFAULT_CLAIM_TTL_MS } from './RunClaims';
import { HoldRenewal } from './holdRenewal';
import { isPostgres } from './tables';

const WORK = 'aks_baseline_cluster_work';

/**
 * A taken cluster lasts this long unless renewed: longer than a run's claim
 * (RunClaims), so that when another replica takes over a dead one's cluster,
 * the dead run's claim has already expired and the cluster is run again
 * instead of joined.
 */
export const DEFAULT_WORK_TTL_MS = 2 * DEFAULT_CLAIM_TTL_MS;

/** Names per statement: well under SQLite's bound-variable limit. */
const CHUNK = 500;

/** A cluster this replica has taken from the queue. */
export interface TakenCluster {
  cluster: string;
  trigger: EvaluationTrigger;
  /** For a manual pass: who asked for it. */
  requestedBy?: string;
  /** A replica that stopped gave it back: its cancelled run does not count. */
  givenBack: boolean;
}

export interface QueueRequest {
  trigger: EvaluationTrigger;
  requestedBy?: string;
}

export interface ClusterWorkOptions {
  /** This replica's id (random per process). */
  holder: string;
  ttlMs?: number;
  now?: () => number;
}

export class ClusterWork {
  static async create(
    options: { database: DatabaseService } & ClusterWorkOptions,
  ): Promise<ClusterWork> {
    return new ClusterWork(await options.database.getClient(), options);
  }

  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly postgres: boolean;
  /** Clusters this replica holds. */
  private readonly held = new Set<string>();
  private readonly renewal: HoldRenewal;

  constructor(
    private readonly db: Knex,
    private readonly options: ClusterWorkOptions,
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_WORK_TTL_MS;
    this.now = options.now ?? Date.now;
    this.postgres = isPostgres(db);
    this.renewal = new HoldRenewal(this.ttlMs, () => this.renew());
  }

  get holder(): string {
    return this.options.holder;
  }

  /**
   * Queues `clusters`. One already queued or being evaluated stays as it is
   * (so a pass never evaluates a cluster twice), except that a manual
   * request takes over a waiting one's trigger. Answers how many were
   * queued now and how many were already.
   */
  async enqueue(
    clusters: readonly string[],
    request: QueueRequest,
  ): Promise<{ queued: number; alreadyQueued: number }> {
    const at = new Date(this.now());
    let queued = 0;
    let alreadyQueued = 0;
    for (const names of chunks(clusters)) {
      await this.db(WORK)
        .insert(names.map(cluster => ({ cluster, queued_at: null })))
        .onConflict('cluster')
        .ignore();
      if (request.trigger === 'manual') {
        // Waiting ones are now the request's (being evaluated ones count).
        await this.db(WORK)
          .whereIn('cluster', names)
          .whereNotNull('queued_at')
          .whereNull('holder')
          .update({
            trigger: 'manual',
            requested_by: request.requestedBy ?? null,
          });
      }
      queued += await this.db(WORK)
        .whereIn('cluster', names)
        .whereNull('queued_at')
        .update({
          queued_at: at,
          trigger: request.trigger,
          requested_by: request.requestedBy ?? null,
          given_back: false,
        });
      alreadyQueued += names.length;
    }
    return { queued, alreadyQueued: alreadyQueued - queued };
  }

  /** Queues the clusters that have never been queued (new in the fleet). */
  async enqueueNew(clusters: readonly string[]): Promise<void> {
    const at = new Date(this.now());
    for (const names of chunks(clusters)) {
      await this.db(WORK)
        .insert(
          names.map(cluster => ({
            cluster,
            queued_at: at,
            trigger: 'schedule',
            given_back: false,
          })),
        )
        .onConflict('cluster')
        .ignore();
    }
  }

  /**
   * Takes the longest-waiting queued cluster among `clusters` (this
   * replica's fleet) that nobody holds, or whose holder stopped renewing it.
   */
  async take(clusters: readonly string[]): Promise<TakenCluster | undefined> {
    if (clusters.length === 0) return undefined;
    const at = new Date(this.now());
    const claim = {
      holder: this.holder,
      expires_at: new Date(at.getTime() + this.ttlMs),
    };
    const free = (q: Knex.QueryBuilder) =>
      q
        .whereNotNull('queued_at')
        .andWhere(w => w.whereNull('holder').orWhere('expires_at', '<', at));
    let taken: TakenCluster | undefined;
    if (this.postgres && clusters.length <= CHUNK * 8) {
      const next = free(this.db(WORK).select('cluster'))
        .whereIn('cluster', clusters)
        .orderBy('queued_at')
        .limit(1)
        .forUpdate()
        .skipLocked();
      const [row] = await this.db(WORK)
        .whereIn('cluster', next)
        .update(claim, ['cluster', 'trigger', 'requested_by', 'given_back']);
      taken = row ? takenFromRow(row) : undefined;
    } else {
      taken = await this.takeOptimistically(clusters, claim, free);
    }
    if (taken) {
      this.held.add(taken.cluster);
      this.renewal.start();
    }
    return taken;
  }

  /** Reads a few candidates, then takes the first that nobody took meanwhile. */
  private async takeOptimistically(
    clusters: readonly string[],
    claim: { holder: string; expires_at: Date },
    free: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<TakenCluster | undefined> {
    const mine = new Set(clusters);
    const candidates = (
      await free(
        this.db(WORK).select(
          'cluster',
          'trigger',
          'requested_by',
          'given_back',
        ),
      ).orderBy('queued_at')
    ).filter((row: any) => mine.has(row.cluster));
    for (const row of candidates.slice(0, 8)) {
      const updated = await free(this.db(WORK).where('cluster', row.cluster))
        .andWhere('trigger', row.trigger)
        .update(claim);
      if (updated === 1) return takenFromRow(row);
    }
    return undefined;
  }

  /**
   * Ends this replica's hold on `cluster`: evaluated (idle until the next
   * pass), or given back to the queue for another replica (`requeue`, when
   * this replica stops before evaluating it).
   */
  async finish(cluster: string, options: { requeue?: boolean } = {}) {
    this.held.delete(cluster);
    if (this.held.size === 0) this.renewal.stop();
    await this.db(WORK)
      .where({ cluster, holder: this.holder })
      .update({
        holder: null,
        expires_at: null,
        ...(options.requeue
          ? { given_back: true }
          : {
              queued_at: null,
              trigger: null,
              requested_by: null,
              given_back: false,
            }),
      });
  }

  /** Clusters (of `among`, else all) queued or being evaluated, over all replicas. */
  async pending(among?: readonly string[]): Promise<number> {
    let n = 0;
    for (const names of among ? chunks(among) : [undefined]) {
      const query = this.db(WORK).whereNotNull('queued_at');
      if (names) query.whereIn('cluster', names);
      const row = await query.count({ n: '*' }).first();
      n += Number(row?.n ?? 0);
    }
    return n;
  }

  /** Forgets the clusters no longer in the fleet that wait for nothing. */
  async removeIdleExcept(clusters: readonly string[]): Promise<number> {
    const keep = new Set(clusters);
    const idle = (await this.db(WORK).whereNull('queued_at').select('cluster'))
      .map(row => row.cluster as string)
      .filter(cluster => !keep.has(cluster));
    let removed = 0;
    for (const names of chunks(idle)) {
      removed += await this.db(WORK)
        .whereIn('cluster', names)
        .whereNull('queued_at')
        .delete();
    }
    return removed;
  }

  /** Extends every cluster this replica holds. */
  async renew(): Promise<void> {
    if (this.held.size === 0) return;
    await this.db(WORK)
      .where('holder', this.holder)
      .whereIn('cluster', [...this.held])
      .update({ expires_at: new Date(this.now() + this.ttlMs) });
  }

  /** Stops renewing (the holds then expire); for shutdown. */
  close(): void {
    this.renewal.stop();
  }
}

function takenFromRow(row: any): TakenCluster {
  return {
    cluster: row.cluster,
    trigger: row.trigger === 'manual' ? 'manual' : 'schedule',
    ...(row.requested_by ? { requestedBy: row.requested_by } : {}),
    givenBack: Boolean(row.given_back),
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}
