/*
 * Evaluation runs (`aks_baseline_runs`): one row per cluster run, started,
 * finished and listed newest first.
 */
import {
  EvaluationRun,
  EvaluationStatus,
  EvaluationTrigger,
  FindingCounts,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { parseJson, RUNS, toIso } from './tables';

export interface RunFinish {
  status: Exclude<EvaluationStatus, 'running'>;
  finishedAt: Date;
  error?: string;
  counts?: {
    score: number | null;
    grade: string | null;
    counts: FindingCounts;
    entities: number;
  };
}

function runFromRow(row: any): EvaluationRun {
  const run: EvaluationRun = {
    id: row.id,
    cluster: row.cluster,
    trigger: row.trigger,
    status: row.status,
    startedAt: toIso(row.started_at)!,
  };
  if (row.requested_by) run.requestedBy = row.requested_by;
  const finishedAt = toIso(row.finished_at);
  if (finishedAt) {
    run.finishedAt = finishedAt;
    run.durationMs = Date.parse(finishedAt) - Date.parse(run.startedAt);
  }
  if (row.error) run.error = row.error;
  const counts = parseJson<RunFinish['counts'] | undefined>(
    row.counts,
    undefined,
  );
  if (counts) {
    run.score = counts.score;
    run.grade = counts.grade as EvaluationRun['grade'];
    run.counts = counts.counts;
    run.entities = counts.entities;
  }
  return run;
}

export class RunsRepository {
  constructor(private readonly db: Knex) {}

  async start(run: {
    id: string;
    cluster: string;
    trigger: EvaluationTrigger;
    /** A manual run: who asked for it. */
    requestedBy?: string;
    startedAt: Date;
  }): Promise<void> {
    await this.db(RUNS).insert({
      id: run.id,
      cluster: run.cluster,
      trigger: run.trigger,
      requested_by: run.requestedBy ?? null,
      status: 'running',
      started_at: run.startedAt,
    });
  }

  async get(id: string): Promise<EvaluationRun | undefined> {
    const row = await this.db(RUNS).where({ id }).first();
    return row ? runFromRow(row) : undefined;
  }

  async finish(id: string, finish: RunFinish): Promise<void> {
    await this.db(RUNS)
      .where({ id })
      .update({
        status: finish.status,
        finished_at: finish.finishedAt,
        error: finish.error ?? null,
        counts: finish.counts ? JSON.stringify(finish.counts) : null,
      });
  }

  /**
   * Runs left `running` by a process that stopped, older than `before`,
   * become failed so that they do not look in progress forever.
   */
  async failAbandoned(before: Date): Promise<number> {
    return this.db(RUNS)
      .where('status', 'running')
      .andWhere('started_at', '<', before)
      .update({
        status: 'failed',
        finished_at: new Date(),
        error: 'Interrupted: the backend stopped before the run finished',
      });
  }

  /** The latest runs (of one cluster, or of the clusters in `only`). */
  async list(options: {
    limit: number;
    cluster?: string;
    only?: ReadonlySet<string>;
  }): Promise<EvaluationRun[]> {
    if (options.only && options.only.size === 0) return [];
    const query = this.db(RUNS)
      .select('*')
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.cluster) query.where('cluster', options.cluster);
    if (options.only) query.whereIn('cluster', [...options.only]);
    const rows = await query;
    return rows.map(runFromRow);
  }

  /** Deletes finished runs started before `before`. */
  async deleteOlderThan(before: Date): Promise<number> {
    return this.db(RUNS)
      .where('started_at', '<', before)
      .whereNot('status', 'running')
      .delete();
  }
}
