/*
 * Policy Reports (wgpolicyk8s.io/v1alpha2), the format Kyverno, Trivy and
 * Kubescape write and Policy Reporter shows: one PolicyReport per namespace
 * and one ClusterPolicyReport for cluster-scoped subjects, each result one
 * finding. Passes are counted in `summary.pass`, never listed (the engine
 * keeps no pass one by one). A multi-document YAML for `kubectl apply`.
 */
import { stringify } from 'yaml';
import { Severity } from '@aks-baseline/plugin-aks-baseline-common';
import { isNamespacedKind } from '@aks-baseline/plugin-aks-baseline-node';
import {
  describeResource,
  oneLineFix,
  ReportFinding,
  ReportSubject,
  SkippedDocument,
} from '../report';
import { categoryTitle, FormatContext, judgedText, scoreText } from './common';
import { NOT_JUDGED_RULE_ID } from './sarif-skipped';

export const POLICY_REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
export const POLICY_REPORT_NAME = 'aks-baseline';
const SOURCE = 'aks-baseline';

export type PolicyResult = 'pass' | 'fail' | 'warn' | 'error' | 'skip';
/** The CRD's severity enum holds ours as is (plus `info`, unused). */
export type PolicySeverity = Severity | 'info';

/**
 * A finding's result. Nothing not judged is a pass: an undecided check is an
 * `error` (the policy could not be evaluated), a waived failure, a manual item
 * and a not-applicable check are `skip`; an expired waiver is a `fail`.
 */
export function policyResultOf(f: ReportFinding): PolicyResult {
  switch (f.status) {
    case 'fail':
      return 'fail';
    case 'unknown':
      return 'error';
    case 'waived':
    case 'not-applicable':
    case 'manual':
      return 'skip';
    default:
      // A status this format does not know is not judged here either.
      return 'error';
  }
}

/**
 * The namespace of the PolicyReport a subject belongs in: its own; `null`
 * for cluster-scoped subjects (Namespaces, the managed cluster, its pools);
 * `''` for a namespaced object that names none, whose report, like the
 * object, lands in the namespace `kubectl apply` is given.
 */
export function reportNamespaceOf(ref: {
  kind: string;
  namespace?: string;
}): string | null {
  if (ref.namespace) return ref.namespace;
  if (ref.kind === 'ManagedCluster' || ref.kind === 'AgentPool') return null;
  return isNamespacedKind(ref.kind) ? '' : null;
}

interface Group {
  findings: ReportFinding[];
  skipped: SkippedDocument[];
  passed: number;
}

function groupOf(groups: Map<string | null, Group>, key: string | null) {
  let g = groups.get(key);
  if (!g) {
    g = { findings: [], skipped: [], passed: 0 };
    groups.set(key, g);
  }
  return g;
}

function timestampOf(iso: string): { seconds: number; nanos: number } {
  const ms = Date.parse(iso);
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

function resourceOf(ref: {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}): Record<string, string> {
  return {
    ...(ref.apiVersion ? { apiVersion: ref.apiVersion } : {}),
    kind: ref.kind,
    name: ref.name,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
  };
}

function findingResult(
  f: ReportFinding,
  timestamp: { seconds: number; nanos: number },
): Record<string, unknown> {
  const result = policyResultOf(f);
  // The CRD's properties are strings only.
  const properties: Record<string, string> = {
    baselineRef: f.baselineRef,
    status: f.status,
  };
  if (f.status === 'fail' || f.status === 'waived') {
    properties.fix = oneLineFix(f.remediation);
  }
  if (f.location) {
    properties.location = `${f.location.file}:${f.location.line}`;
  }
  if (f.waiver) {
    properties.waiver = f.waiver.reason;
    if (f.waiver.expires) properties.waiverExpires = f.waiver.expires;
    if (f.waiver.owner) properties.waiverOwner = f.waiver.owner;
    if (f.waiver.expired) properties.waiverExpired = 'true';
  }
  if (f.evidence?.length) {
    properties.evidence = f.evidence
      .map(e => `${e.path} = ${JSON.stringify(e.value) ?? 'absent'}`)
      .join('; ');
  }
  return {
    source: SOURCE,
    policy: f.ruleId,
    rule: f.baselineRef,
    category: categoryTitle(f.category),
    severity: f.severity satisfies PolicySeverity,
    result,
    scored: result === 'fail',
    timestamp,
    message: `${describeResource(f.resource)}: ${f.message}`,
    resources: [resourceOf(f.resource)],
    properties,
  };
}

function skippedResult(
  s: SkippedDocument,
  timestamp: { seconds: number; nanos: number },
): Record<string, unknown> {
  const place = s.line !== undefined ? `${s.file}:${s.line}` : s.file;
  const out: Record<string, unknown> = {
    source: SOURCE,
    policy: NOT_JUDGED_RULE_ID,
    rule: NOT_JUDGED_RULE_ID,
    result: 'error',
    scored: false,
    timestamp,
    message: `Not judged: ${s.reason}`,
    properties: { status: 'skipped', location: place },
  };
  if (s.object?.name) {
    out.resources = [
      resourceOf({
        kind: s.object.kind,
        name: s.object.name,
        namespace: s.object.namespace,
        apiVersion: s.object.apiVersion,
      }),
    ];
  }
  return out;
}

/** Summary of a report: passes from the subjects' tallies, the rest from its results. */
function summaryOf(group: Group): Record<PolicyResult, number> {
  const summary = {
    pass: group.passed,
    fail: 0,
    warn: 0,
    error: group.skipped.length,
    skip: 0,
  };
  for (const f of group.findings) summary[policyResultOf(f)]++;
  return summary;
}

function groupReport(
  findings: readonly ReportFinding[],
  skipped: readonly SkippedDocument[],
  subjects: readonly ReportSubject[],
): Map<string | null, Group> {
  const groups = new Map<string | null, Group>();
  // The cluster's report is always written: the output is never empty.
  groupOf(groups, null);
  for (const s of subjects) {
    groupOf(groups, reportNamespaceOf(s.resource)).passed += s.passed;
  }
  for (const f of findings) {
    groupOf(groups, reportNamespaceOf(f.resource)).findings.push(f);
  }
  for (const s of skipped) {
    const key = s.object ? reportNamespaceOf(s.object) : null;
    groupOf(groups, key).skipped.push(s);
  }
  return groups;
}

/** Cluster first, then namespaces by name, then the one of objects naming none. */
function orderOf(key: string | null): [number, string] {
  if (key === null) return [0, ''];
  return key === '' ? [2, ''] : [1, key];
}

const YAML_OPTIONS = {
  // kubectl reads YAML 1.1: `no`, `on`, `y` must stay strings.
  version: '1.1',
  lineWidth: 0,
} as const;

export function* formatPolicyReport(ctx: FormatContext): Generator<string> {
  const { report } = ctx;
  const timestamp = timestampOf(report.evaluatedAt);
  const groups = groupReport(
    report.findings,
    report.inputs.skipped,
    report.subjects,
  );
  const keys = [...groups.keys()].sort((a, b) => {
    const [ra, na] = orderOf(a);
    const [rb, nb] = orderOf(b);
    return ra - rb || Number(na > nb) - Number(na < nb);
  });
  for (const key of keys) {
    const group = groups.get(key)!;
    const header = {
      apiVersion: POLICY_REPORT_API_VERSION,
      kind: key === null ? 'ClusterPolicyReport' : 'PolicyReport',
      metadata: {
        name: POLICY_REPORT_NAME,
        ...(key ? { namespace: key } : {}),
        labels: { 'app.kubernetes.io/managed-by': SOURCE },
        annotations: {
          'aks-baseline.io/evaluated-at': report.evaluatedAt,
          'aks-baseline.io/profile': report.profile,
          ...(report.cluster
            ? { 'aks-baseline.io/cluster': report.cluster }
            : {}),
          // How much was judged, stated with the score as in every format.
          ...(key === null
            ? {
                'aks-baseline.io/score': scoreText(report),
                'aks-baseline.io/judged': judgedText(report, '; '),
              }
            : {}),
        },
      },
      summary: summaryOf(group),
    };
    yield `---\n${stringify(header, YAML_OPTIONS)}`;
    if (group.findings.length === 0 && group.skipped.length === 0) {
      yield 'results: []\n';
      continue;
    }
    yield 'results:\n';
    // One result at a time: a report of any size streams out.
    for (const f of group.findings) {
      yield stringify([findingResult(f, timestamp)], YAML_OPTIONS);
    }
    for (const s of group.skipped) {
      yield stringify([skippedResult(s, timestamp)], YAML_OPTIONS);
    }
  }
}
