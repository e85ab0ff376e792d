/*
 * Which replica runs what, in the shared database: before a cluster is
 * evaluated (or a pass over every cluster starts) its target is claimed by
 * inserting a row keyed by the target. The insert is the atomic decision on
 * SQLite and PostgreSQL alike: the first replica gets the row, any other
 * finds it and joins that run instead of starting one of its own.
 *
 * A claim lasts `ttlMs` and is renewed while its replica holds it, so that a
 * replica that stops without releasing blocks nobody for longer than that.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { EvaluationTrigger } from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { HoldRenewal } from './holdRenewal';

const CLAIMS = 'aks_baseline_run_claims';

/** A claim lasts this long unless renewed. */
export const DEFAULT_CLAIM_TTL_MS = 60_000;

/** What is claimed: one cluster, or a pass over all of them. */
export function clusterTarget(cluster: string): string {
  return `cluster:${cluster}`;
}
export const ALL_CLUSTERS_TARGET = 'all';

export interface RunClaim {
  target: string;
  /** The run (a cluster) or pass (all clusters) that holds the target. */
  runId: string;
  trigger: EvaluationTrigger;
  /** For a manual run: who asked for it (a user entity ref or a service). */
  requestedBy?: string;
  /** The replica that holds it. */
  holder: string;
}

export type ClaimResult =
  | { claimed: true; claim: RunClaim }
  | { claimed: false; claim: RunClaim };

export interface RunClaimsOptions {
  /** This replica's id (random per process). */
  holder: string;
  ttlMs?: number;
  now?: () => number;
}

export class RunClaims {
  static async create(
    options: { database: DatabaseService } & RunClaimsOptions,
  ): Promise<RunClaims> {
    return new RunClaims(await options.database.getClient(), options);
  }

  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Claims this replica holds: target → run id. */
  private readonly held = new Map<string, string>();
  private readonly renewal: HoldRenewal;

  constructor(
    private readonly db: Knex,
    private readonly options: RunClaimsOptions,
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CLAIM_TTL_MS;
    this.now = options.now ?? Date.now;
    this.renewal = new HoldRenewal(this.ttlMs, () => this.renew());
  }

  get holder(): string {
    return this.options.holder;
  }

  /**
   * Claims `claim.target` for `claim.runId`, or answers the claim that holds
   * it (an expired one is taken over).
   */
  async claim(claim: Omit<RunClaim, 'holder'>): Promise<ClaimResult> {
    const mine: RunClaim = { ...claim, holder: this.holder };
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.now();
      await this.db(CLAIMS)
        .where('target', claim.target)
        .andWhere('expires_at', '<', new Date(now))
        .delete();
      await this.db(CLAIMS)
        .insert({
          target: claim.target,
          run_id: claim.runId,
          trigger: claim.trigger,
          requested_by: claim.requestedBy ?? null,
          holder: this.holder,
          claimed_at: new Date(now),
          expires_at: new Date(now + this.ttlMs),
        })
        .onConflict('target')
        .ignore();
      const row = await this.db(CLAIMS).where('target', claim.target).first();
      // Released between the insert and the read: try again.
      if (!row) continue;
      const current = claimFromRow(row);
      if (current.runId === mine.runId && current.holder === mine.holder) {
        this.held.set(claim.target, claim.runId);
        this.renewal.start();
        return { claimed: true, claim: mine };
      }
      return { claimed: false, claim: current };
    }
    throw new Error(
      `Could not claim ${claim.target}: it changed hands too often`,
    );
  }

  /** Gives the target up (only if `runId` still holds it). */
  async release(target: string, runId: string): Promise<void> {
    if (this.held.get(target) === runId) this.held.delete(target);
    if (this.held.size === 0) this.renewal.stop();
    await this.db(CLAIMS)
      .where({ target, run_id: runId, holder: this.holder })
      .delete();
  }

  /** Whether `runId` (of any replica) still holds `target`, unexpired. */
  async isHeld(target: string, runId: string): Promise<boolean> {
    const row = await this.db(CLAIMS)
      .where({ target, run_id: runId })
      .andWhere('expires_at', '>=', new Date(this.now()))
      .first('target');
    return Boolean(row);
  }

  /** Extends every claim this replica holds. */
  async renew(): Promise<void> {
    if (this.held.size === 0) return;
    await this.db(CLAIMS)
      .where('holder', this.holder)
      .whereIn('target', [...this.held.keys()])
      .update({ expires_at: new Date(this.now() + this.ttlMs) });
  }

  /** Stops renewing (the claims then expire); for shutdown. */
  close(): void {
    this.renewal.stop();
  }
}

function claimFromRow(row: any): RunClaim {
  const claim: RunClaim = {
    target: row.target,
    runId: row.run_id,
    trigger: row.trigger,
    holder: row.holder,
  };
  if (row.requested_by) claim.requestedBy = row.requested_by;
  return claim;
}
