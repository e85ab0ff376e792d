/*
 * The manual checklist's confirmations (`aks_baseline_manual_confirmations`):
 * each change is a row, so the history is the table; an item is confirmed
 * while its latest row is a confirmation younger than the period they last.
 */
import { Knex } from 'knex';
import {
  ManualChecklistEvent,
  ManualConfirmation,
} from '@aks-baseline/plugin-aks-baseline-common';
import { toIso } from './tables';

export const MANUAL_CONFIRMATIONS = 'aks_baseline_manual_confirmations';

function eventOf(row: any): ManualChecklistEvent {
  return {
    ruleId: row.rule_id,
    action: row.action,
    by: row.by,
    at: toIso(row.at)!,
  };
}

export class ManualConfirmationsRepository {
  constructor(
    private readonly db: Knex,
    /** How long a confirmation lasts. */
    private readonly ttlMs: number,
  ) {}

  async record(event: {
    entityRef: string;
    ruleId: string;
    action: ManualChecklistEvent['action'];
    by: string;
    at: Date;
  }): Promise<void> {
    await this.db(MANUAL_CONFIRMATIONS).insert({
      entity_ref: event.entityRef,
      rule_id: event.ruleId,
      action: event.action,
      by: event.by,
      at: event.at,
    });
  }

  /** The items of `entityRef` confirmed at `now`. */
  async current(entityRef: string, now: Date): Promise<ManualConfirmation[]> {
    const since = new Date(now.getTime() - this.ttlMs);
    // Each item's latest change since the period began (an older one has expired).
    const rows = await this.db(MANUAL_CONFIRMATIONS)
      .where('entity_ref', entityRef)
      .andWhere('at', '>', since)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc');
    const latest = new Map<string, any>();
    for (const row of rows)
      if (!latest.has(row.rule_id)) latest.set(row.rule_id, row);
    return [...latest.values()]
      .filter(row => row.action === 'confirmed')
      .map(row => {
        const at = toIso(row.at)!;
        return {
          ruleId: row.rule_id,
          by: row.by,
          confirmedAt: at,
          expiresAt: new Date(Date.parse(at) + this.ttlMs).toISOString(),
        };
      })
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId));
  }

  /** The latest changes of `entityRef`, newest first. */
  async history(
    entityRef: string,
    limit: number,
  ): Promise<ManualChecklistEvent[]> {
    const rows = await this.db(MANUAL_CONFIRMATIONS)
      .where('entity_ref', entityRef)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(eventOf);
  }
}
