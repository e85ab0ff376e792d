/*
 * The plugin's tables and what every repository needs to read their rows:
 * SQLite and PostgreSQL alike, JSON in text columns and timestamps written
 * as Date and read back through `toIso`.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  ResultStatus,
  ScoreSummary,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';

export const RUNS = 'aks_baseline_runs';
export const CLUSTERS = 'aks_baseline_cluster_results';
export const CLUSTER_HISTORY = 'aks_baseline_cluster_history';
export const ENTITY_SCORES = 'aks_baseline_entity_scores';
export const ENTITIES = 'aks_baseline_entities';
export const ENTITY_HISTORY = 'aks_baseline_entity_history';
export const VERSIONS = 'aks_baseline_versions';

/** Rows per insert statement: well under SQLite's bound-variable limit. */
const CHUNK = 200;

/** Applies the migrations shipped in the package (`migrations/`). */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  const directory = resolvePackagePath(
    '@aks-baseline/plugin-aks-baseline-backend',
    'migrations',
  );
  await knex.migrate.latest({
    directory,
    tableName: 'aks_baseline_knex_migrations',
  });
}

/** Whether `db` is PostgreSQL (row locks, SKIP LOCKED); otherwise SQLite. */
export function isPostgres(db: Knex | Knex.Transaction): boolean {
  return String(db.client.config.client).includes('pg');
}

/** Dates come back as Date (pg), number or string (SQLite). */
export function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') {
    // SQLite may hand back digits, or `YYYY-MM-DD HH:MM:SS` (UTC).
    if (/^\d+$/.test(value)) return new Date(Number(value)).toISOString();
    const d = new Date(
      value.includes('T') ? value : `${value.replace(' ', 'T')}Z`,
    );
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return String(value);
}

export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

export const EMPTY_SUMMARY: ScoreSummary = {
  score: null,
  grade: null,
  totals: {
    passed: 0,
    failed: 0,
    passedWeight: 0,
    failedWeight: 0,
    unknown: 0,
    waived: 0,
    notApplicable: 0,
  },
  categories: [],
};

/** The result's status from its row: a row without a result is never stale. */
export function resultStatus(row: {
  evaluated_at?: unknown;
  stale?: unknown;
}): ResultStatus {
  if (row.evaluated_at === null || row.evaluated_at === undefined) {
    return 'never-evaluated';
  }
  return row.stale ? 'stale' : 'ok';
}
