/*
 * The changes already notified (aks_baseline_notifications) and the scores
 * drops are measured from (aks_baseline_notification_scores). A change is
 * claimed by inserting its row: the unique (entity, kind, change) lets one
 * insert win across cycles and replicas, and only the winner notifies.
 */
import { Knex } from 'knex';
import { NotificationKind, ScoreReference } from './changes';

const CHANGES = 'aks_baseline_notifications';
const SCORES = 'aks_baseline_notification_scores';
/** Rows per statement: well under SQLite's bound-variable limit. */
const CHUNK = 100;

export class NotificationLog {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records the changes; returns those this call inserted (not seen before
   * by any replica). `sent: false` records a starting point.
   */
  async claim(
    entityRef: string,
    kind: NotificationKind,
    changes: readonly string[],
    options: { sent?: boolean } = {},
  ): Promise<string[]> {
    const claimed: string[] = [];
    const unique = [...new Set(changes)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = unique.slice(i, i + CHUNK).map(change => ({
        entity_ref: entityRef,
        kind,
        change_key: change,
        sent: options.sent ?? true,
        created_at: this.now(),
      }));
      const inserted: Array<{ change_key: string }> = await this.db(CHANGES)
        .insert(rows)
        .onConflict(['entity_ref', 'kind', 'change_key'])
        .ignore()
        .returning('change_key');
      claimed.push(...inserted.map(r => r.change_key));
    }
    return claimed;
  }

  /** The changes recorded for an entity and kind, optionally under a key prefix. */
  async known(
    entityRef: string,
    kind: NotificationKind,
    prefix?: string,
  ): Promise<Array<{ change: string; createdAt: Date }>> {
    const rows = await this.db(CHANGES)
      .where({ entity_ref: entityRef, kind })
      .select('change_key', 'created_at');
    return rows
      .filter(r => !prefix || String(r.change_key).startsWith(prefix))
      .map(r => ({ change: r.change_key, createdAt: toDate(r.created_at) }));
  }

  /** Forgets changes, so that they are notified again if they come back. */
  async forget(
    entityRef: string,
    kind: NotificationKind,
    changes: readonly string[],
  ): Promise<void> {
    for (let i = 0; i < changes.length; i += CHUNK) {
      await this.db(CHANGES)
        .where({ entity_ref: entityRef, kind })
        .whereIn('change_key', changes.slice(i, i + CHUNK))
        .delete();
    }
  }

  /**
   * Deletes the records of score drops older than `before`: each names its
   * evaluation, so none can be claimed again. The others stay (a waiver or
   * finding still there would be notified again).
   */
  async pruneScoreDrops(before: Date): Promise<number> {
    return this.db(CHANGES)
      .where({ kind: 'score-drop' })
      .where('created_at', '<', before)
      .delete();
  }

  async scoreReference(
    entityRef: string,
    cluster: string,
  ): Promise<ScoreReference | undefined> {
    const row = await this.db(SCORES)
      .where({ entity_ref: entityRef, cluster })
      .first('reference_score');
    return row ? { referenceScore: Number(row.reference_score) } : undefined;
  }

  async setScoreReference(
    entityRef: string,
    cluster: string,
    referenceScore: number,
    evaluatedAt: Date,
  ): Promise<void> {
    await this.db(SCORES)
      .insert({
        entity_ref: entityRef,
        cluster,
        reference_score: referenceScore,
        evaluated_at: evaluatedAt,
      })
      .onConflict(['entity_ref', 'cluster'])
      .merge(['reference_score', 'evaluated_at']);
  }
}

/** Dates come back as Date (pg), number or string (SQLite). */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  if (/^\d+$/.test(text)) return new Date(Number(text));
  return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
}
