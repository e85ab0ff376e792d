/*
 * The Policy Reports read from each cluster (other tools' findings), apart
 * from the baseline's tables: a cluster's results are replaced by each
 * evaluation's read, and left as they are when nothing changed (only the
 * read time moves). Passes are counted but the first left out when a
 * cluster holds more results than a row limit allows.
 */
import { createHash } from 'crypto';
import { Knex } from 'knex';
import {
  ClusterPolicyReports,
  PolicyReportResultItem,
  PolicyReportResultValue,
  PolicyReportSeverity,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { PolicyReportsRead } from '../sources/policyReports';
import { chunks, parseJson, toIso } from './tables';

export const POLICY_REPORT_READS = 'aks_baseline_policy_report_reads';
export const POLICY_REPORT_RESULTS = 'aks_baseline_policy_report_results';

export interface PolicyReportLimits {
  /** Results stored per cluster. */
  stored: number;
  /** Results listed in one answer (fail, error, warn). */
  listed: number;
}

export const DEFAULT_POLICY_REPORT_LIMITS: PolicyReportLimits = {
  stored: 10_000,
  listed: 500,
};

const RESULT_RANK: Record<PolicyReportResultValue, number> = {
  fail: 0,
  error: 1,
  warn: 2,
  skip: 3,
  pass: 4,
};
const SEVERITY_RANK: Record<PolicyReportSeverity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};
/** What an answer lists: what needs someone's attention. */
const LISTED: PolicyReportResultValue[] = ['fail', 'error', 'warn'];

function emptyCounts(): Record<PolicyReportResultValue, number> {
  return { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
}

function compareResults(
  a: PolicyReportResultItem,
  b: PolicyReportResultItem,
): number {
  const text = (x = '', y = '') => x.localeCompare(y, 'en');
  return (
    RESULT_RANK[a.result] - RESULT_RANK[b.result] ||
    (a.severity ? SEVERITY_RANK[a.severity] : 5) -
      (b.severity ? SEVERITY_RANK[b.severity] : 5) ||
    text(a.source, b.source) ||
    text(a.policy, b.policy) ||
    text(a.rule, b.rule) ||
    text(a.resource?.namespace, b.resource?.namespace) ||
    text(a.resource?.kind, b.resource?.kind) ||
    text(a.resource?.name, b.resource?.name)
  );
}

function toRow(cluster: string, r: PolicyReportResultItem) {
  return {
    cluster,
    source: r.source.slice(0, 200),
    policy: r.policy.slice(0, 300),
    rule: r.rule?.slice(0, 300) ?? null,
    category: r.category?.slice(0, 300) ?? null,
    severity: r.severity ?? null,
    result: r.result,
    message: r.message ?? null,
    resource_api_version: r.resource?.apiVersion ?? null,
    resource_kind: r.resource?.kind ?? null,
    resource_namespace: r.resource?.namespace ?? null,
    resource_name: r.resource?.name ?? null,
    report_kind: r.report.kind,
    report_namespace: r.report.namespace ?? null,
    report_name: r.report.name.slice(0, 300),
    found_at: r.timestamp ?? null,
  };
}

function fromRow(row: any): PolicyReportResultItem {
  const item: PolicyReportResultItem = {
    source: row.source,
    policy: row.policy,
    result: row.result,
    report: {
      kind: row.report_kind,
      name: row.report_name,
      ...(row.report_namespace ? { namespace: row.report_namespace } : {}),
    },
  };
  if (row.rule) item.rule = row.rule;
  if (row.category) item.category = row.category;
  if (row.severity) item.severity = row.severity;
  if (row.message) item.message = row.message;
  if (row.resource_kind && row.resource_name) {
    item.resource = {
      kind: row.resource_kind,
      name: row.resource_name,
      ...(row.resource_namespace ? { namespace: row.resource_namespace } : {}),
      ...(row.resource_api_version
        ? { apiVersion: row.resource_api_version }
        : {}),
    };
  }
  if (row.found_at) item.timestamp = row.found_at;
  return item;
}

function resourceKey(
  kind: string,
  namespace: string | undefined,
  name: string,
) {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

export class PolicyReportsRepository {
  constructor(
    private readonly db: Knex,
    private readonly limits: PolicyReportLimits = DEFAULT_POLICY_REPORT_LIMITS,
  ) {}

  /**
   * Stores what an evaluation read of a cluster's reports. Returns whether
   * its results were written (false: the same as before, only the time).
   */
  async save(
    cluster: string,
    read: PolicyReportsRead,
    at: Date,
  ): Promise<{ written: boolean }> {
    const counts = emptyCounts();
    for (const r of read.results) counts[r.result]++;
    const kept = [...read.results]
      .sort(compareResults)
      .slice(0, this.limits.stored);
    const rows = kept.map(r => toRow(cluster, r));
    const contentHash = createHash('sha256')
      .update(JSON.stringify([read.status, read.reason ?? null, rows]))
      .digest('base64url');
    const head = {
      cluster,
      status: read.status,
      reason: read.reason ?? null,
      read_at: at,
      counts: JSON.stringify(counts),
      truncated: kept.length < read.results.length,
      content_hash: contentHash,
    };
    return this.db.transaction(async tx => {
      const previous = await tx(POLICY_REPORT_READS)
        .where({ cluster })
        .first('content_hash');
      if (previous?.content_hash === contentHash) {
        await tx(POLICY_REPORT_READS)
          .where({ cluster })
          .update({ read_at: at });
        return { written: false };
      }
      await tx(POLICY_REPORT_RESULTS).where({ cluster }).delete();
      for (const chunk of chunks(rows)) {
        await tx(POLICY_REPORT_RESULTS).insert(chunk);
      }
      await tx(POLICY_REPORT_READS).insert(head).onConflict('cluster').merge();
      return { written: true };
    });
  }

  /** Forgets the reports of clusters that left the fleet. */
  async deleteClusters(clusters: readonly string[]): Promise<void> {
    for (const some of chunks(clusters)) {
      await this.db.transaction(async tx => {
        await tx(POLICY_REPORT_RESULTS).whereIn('cluster', some).delete();
        await tx(POLICY_REPORT_READS).whereIn('cluster', some).delete();
      });
    }
  }

  /** Every result of a cluster (its listing bounded), or undefined if never read. */
  async forCluster(cluster: string): Promise<ClusterPolicyReports | undefined> {
    const head = await this.head(cluster);
    if (!head) return undefined;
    const rows = await this.db(POLICY_REPORT_RESULTS)
      .where({ cluster })
      .whereIn('result', LISTED)
      .orderBy('id')
      .limit(this.limits.listed + 1);
    return {
      ...head.answer,
      counts: head.counts,
      results: rows.slice(0, this.limits.listed).map(fromRow),
      truncated: head.truncated || rows.length > this.limits.listed,
    };
  }

  /**
   * The results about some objects of a cluster (an entity's), or undefined
   * if the cluster's reports were never read.
   */
  async forResources(
    cluster: string,
    resources: readonly ResourceRef[],
  ): Promise<ClusterPolicyReports | undefined> {
    const head = await this.head(cluster);
    if (!head) return undefined;
    const wanted = new Set(
      resources.map(r => resourceKey(r.kind, r.namespace, r.name)),
    );
    const namespaces = [
      ...new Set(resources.flatMap(r => (r.namespace ? [r.namespace] : []))),
    ];
    const clusterScoped = resources.some(r => !r.namespace);
    const rows: any[] = [];
    for (const some of chunks(namespaces)) {
      rows.push(
        ...(await this.db(POLICY_REPORT_RESULTS)
          .where({ cluster })
          .whereIn('resource_namespace', some)
          .orderBy('id')),
      );
    }
    if (clusterScoped) {
      rows.push(
        ...(await this.db(POLICY_REPORT_RESULTS)
          .where({ cluster })
          .whereNull('resource_namespace')
          .whereNotNull('resource_kind')
          .orderBy('id')),
      );
    }
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const counts = emptyCounts();
    const listed: PolicyReportResultItem[] = [];
    let more = false;
    for (const row of rows) {
      if (
        !wanted.has(
          resourceKey(
            row.resource_kind,
            row.resource_namespace ?? undefined,
            row.resource_name,
          ),
        )
      ) {
        continue;
      }
      counts[row.result as PolicyReportResultValue]++;
      if (!LISTED.includes(row.result)) continue;
      if (listed.length < this.limits.listed) listed.push(fromRow(row));
      else more = true;
    }
    return {
      ...head.answer,
      counts,
      results: listed,
      truncated: head.truncated || more,
    };
  }

  private async head(cluster: string): Promise<
    | {
        answer: Pick<
          ClusterPolicyReports,
          'cluster' | 'status' | 'reason' | 'readAt'
        >;
        counts: Record<PolicyReportResultValue, number>;
        truncated: boolean;
      }
    | undefined
  > {
    const row = await this.db(POLICY_REPORT_READS).where({ cluster }).first();
    if (!row) return undefined;
    return {
      answer: {
        cluster,
        status: row.status,
        ...(row.reason ? { reason: row.reason } : {}),
        readAt: toIso(row.read_at)!,
      },
      counts: { ...emptyCounts(), ...parseJson(row.counts, {}) },
      truncated: Boolean(row.truncated),
    };
  }
}
