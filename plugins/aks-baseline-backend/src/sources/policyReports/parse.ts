/*
 * PolicyReport and ClusterPolicyReport objects (wgpolicyk8s.io/v1alpha2)
 * to results: one per entry of `results`, labelled with the tool that wrote
 * it. Values the CRD does not allow are dropped (a severity) or make the
 * result an `error` (a result value), never a pass.
 */
import type {
  PolicyReportResultItem,
  PolicyReportResultValue,
  PolicyReportSeverity,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { KubeObject } from '@aks-baseline/plugin-aks-baseline-node';

const RESULTS: ReadonlySet<string> = new Set([
  'pass',
  'fail',
  'warn',
  'error',
  'skip',
]);
const SEVERITIES: ReadonlySet<string> = new Set([
  'critical',
  'high',
  'medium',
  'low',
  'info',
]);
/** Longest message kept: a tool's message can hold a whole manifest. */
const MAX_MESSAGE = 2000;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function refOf(value: unknown): ResourceRef | undefined {
  const r = record(value);
  const kind = str(r?.kind);
  const name = str(r?.name);
  if (!kind || !name) return undefined;
  const namespace = str(r?.namespace);
  const apiVersion = str(r?.apiVersion);
  return {
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    ...(apiVersion ? { apiVersion } : {}),
  };
}

function timestampOf(value: unknown): string | undefined {
  const seconds = Number(record(value)?.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  const nanos = Number(record(value)?.nanos) || 0;
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

/** The tool when a result names none: the report's managed-by label. */
function reportSource(report: KubeObject): string {
  const labels = record(report.metadata?.labels);
  return (
    str(labels?.['app.kubernetes.io/managed-by']) ??
    str((report as Record<string, unknown>).source) ??
    'unknown'
  );
}

/** The results of one report object. */
export function resultsOfReport(report: KubeObject): PolicyReportResultItem[] {
  const kind =
    report.kind === 'ClusterPolicyReport'
      ? 'ClusterPolicyReport'
      : 'PolicyReport';
  const namespace = str(report.metadata?.namespace);
  const origin = {
    kind,
    name: str(report.metadata?.name) ?? '',
    ...(kind === 'PolicyReport' && namespace ? { namespace } : {}),
  } as PolicyReportResultItem['report'];
  const scope = refOf((report as Record<string, unknown>).scope);
  const fallbackSource = reportSource(report);
  const entries = (report as Record<string, unknown>).results;
  if (!Array.isArray(entries)) return [];
  const out: PolicyReportResultItem[] = [];
  for (const entry of entries) {
    const r = record(entry);
    const policy = str(r?.policy);
    if (!r || !policy) continue;
    const given = str(r.result);
    const result = (
      given && RESULTS.has(given) ? given : 'error'
    ) as PolicyReportResultValue;
    const severity = str(r.severity);
    const resources = Array.isArray(r.resources) ? r.resources : [];
    const resource = refOf(resources[0]) ?? scope;
    const rule = str(r.rule);
    const category = str(r.category);
    const message = str(r.message);
    const timestamp = timestampOf(r.timestamp);
    out.push({
      source: str(r.source) ?? fallbackSource,
      policy,
      ...(rule ? { rule } : {}),
      ...(category ? { category } : {}),
      ...(severity && SEVERITIES.has(severity)
        ? { severity: severity as PolicyReportSeverity }
        : {}),
      result,
      ...(message ? { message: message.slice(0, MAX_MESSAGE) } : {}),
      ...(resource
        ? {
            resource: {
              ...resource,
              // A namespaced report's objects are in its namespace.
              ...(!resource.namespace && origin.namespace
                ? { namespace: origin.namespace }
                : {}),
            },
          }
        : {}),
      report: origin,
      ...(timestamp ? { timestamp } : {}),
    });
  }
  return out;
}
