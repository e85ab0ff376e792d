/*
 * The namespaces of each cluster as its last good evaluation saw them (the
 * namespace subjects of the stored result, with their labels; system
 * namespaces are no subjects). Read-only: a cluster's namespaces are parsed
 * again only when its result has changed.
 */
import type { Knex } from 'knex';

/** Where the evaluation keeps each cluster's last result. */
const CLUSTER_RESULTS = 'aks_baseline_cluster_results';

export interface ClusterNamespace {
  cluster: string;
  name: string;
  labels: Record<string, string>;
  /** When the evaluation that saw it ran. */
  evaluatedAt: string;
}

interface Cached {
  version: string;
  namespaces: ClusterNamespace[];
}

/** A timestamp column as PostgreSQL (Date) or SQLite (digits, or `YYYY-MM-DD HH:MM:SS` UTC) gives it. */
function iso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number' || /^\d+$/.test(String(value))) {
    date = new Date(Number(value));
  } else {
    const text = String(value);
    date = new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
  }
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

/** The namespace subjects of a stored `subjects` JSON array. */
export function namespacesOfSubjects(
  cluster: string,
  evaluatedAt: string,
  json: string,
): ClusterNamespace[] {
  const subjects: unknown = JSON.parse(json);
  if (!Array.isArray(subjects)) return [];
  const namespaces: ClusterNamespace[] = [];
  for (const subject of subjects) {
    const ref = subject?.ref;
    if (subject?.scope !== 'namespace' || ref?.kind !== 'Namespace') continue;
    if (typeof ref.name !== 'string') continue;
    namespaces.push({
      cluster,
      name: ref.name,
      labels: stringRecord(subject.labels),
      evaluatedAt,
    });
  }
  return namespaces.sort((a, b) => a.name.localeCompare(b.name));
}

export class StoredNamespaces {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly db: Knex) {}

  /** Every cluster's namespaces, or those of the clusters in `only`. */
  async list(only?: ReadonlySet<string>): Promise<ClusterNamespace[]> {
    if (only && only.size === 0) return [];
    const query = this.db(CLUSTER_RESULTS)
      .select('cluster', 'evaluated_at')
      .orderBy('cluster');
    if (only) query.whereIn('cluster', [...only]);
    const rows: { cluster: string; evaluated_at: unknown }[] = await query;
    const out: ClusterNamespace[] = [];
    const present = new Set<string>();
    for (const row of rows) {
      present.add(row.cluster);
      const evaluatedAt = iso(row.evaluated_at);
      // Never evaluated successfully: no namespace is known.
      if (!evaluatedAt) continue;
      let cached = this.cache.get(row.cluster);
      if (cached?.version !== evaluatedAt) {
        const stored = await this.db(CLUSTER_RESULTS)
          .where('cluster', row.cluster)
          .first('subjects', 'evaluated_at');
        const at = iso(stored?.evaluated_at);
        if (!stored || !at) continue;
        cached = {
          version: at,
          namespaces:
            typeof stored.subjects === 'string'
              ? namespacesOfSubjects(row.cluster, at, stored.subjects)
              : [],
        };
        this.cache.set(row.cluster, cached);
      }
      out.push(...cached.namespaces);
    }
    if (!only) {
      for (const cluster of this.cache.keys()) {
        if (!present.has(cluster)) this.cache.delete(cluster);
      }
    }
    return out;
  }
}
