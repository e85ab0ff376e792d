/*
 * IM-04 (no CRITICAL, at most N HIGH vulnerabilities per image, from Trivy
 * Operator's VulnerabilityReports) and IM-05 (Trivy Operator installed).
 *
 * Trivy Operator writes one VulnerabilityReport per container of each
 * scanned controller, in the controller's namespace, labelled
 * `trivy-operator.resource.{kind,name,namespace}` and
 * `trivy-operator.container.name`. A Deployment is scanned through its
 * ReplicaSet (`resource.kind: ReplicaSet`, name `<deployment>-<hash>`).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, notApplicable, PASS, unknown } from '../../engine/outcomes';
import { KubeObject, ObjectIndex, WorkloadView } from '../../engine/types';
import { KubernetesClusterRule, WorkloadRule } from '../../engine/rule';
import { optionalReads } from '../../engine/rule-parts';
import { WORKLOAD_KINDS } from '../../engine/kinds';

export const TRIVY_KIND_LABEL = 'trivy-operator.resource.kind';
export const TRIVY_NAME_LABEL = 'trivy-operator.resource.name';
export const TRIVY_NAMESPACE_LABEL = 'trivy-operator.resource.namespace';
export const TRIVY_CONTAINER_LABEL = 'trivy-operator.container.name';

/** `<deployment>-<pod-template-hash>`: the hash uses Kubernetes' safe alphabet. */
const REPLICASET_NAME = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/;

type ReportMap = Map<string, Map<string, Map<string, KubeObject[]>>>;

/**
 * namespace → kind → name → reports, built once per ObjectIndex on first
 * use: a WeakMap keyed by the index (the engine's contract has no rule
 * cache) so that each workload costs three map lookups instead of a scan of
 * its namespace's reports, and the map goes away with the index.
 */
const reportMaps = new WeakMap<ObjectIndex, ReportMap>();

const NONE: readonly KubeObject[] = Object.freeze([]);

function add(
  map: ReportMap,
  ns: string,
  kind: string,
  name: string,
  report: KubeObject,
) {
  let kinds = map.get(ns);
  if (!kinds) map.set(ns, (kinds = new Map()));
  let names = kinds.get(kind);
  if (!names) kinds.set(kind, (names = new Map()));
  const list = names.get(name);
  if (list) list.push(report);
  else names.set(name, [report]);
}

/** The Deployment behind a scanned ReplicaSet, or undefined for a stale or bare one. */
function deploymentOfReplicaSet(
  index: ObjectIndex,
  ns: string,
  rsName: string,
): string | undefined | null {
  const rs = index.get('ReplicaSet', ns, rsName);
  if (rs) {
    // An old revision scaled to zero no longer runs: its report is history.
    if (rs.spec?.replicas === 0) return null;
    const refs = rs.metadata.ownerReferences;
    if (Array.isArray(refs)) {
      for (const ref of refs) {
        if (ref && ref.kind === 'Deployment' && typeof ref.name === 'string') {
          return ref.name;
        }
      }
    }
    return undefined;
  }
  // ReplicaSets not in the snapshot: fall back to the naming convention.
  const m = REPLICASET_NAME.exec(rsName);
  return m ? m[1] : undefined;
}

export function reportMap(index: ObjectIndex): ReportMap {
  let map = reportMaps.get(index);
  if (map) return map;
  map = new Map();
  const reports = index.ofKind('VulnerabilityReport');
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i];
    const labels = r.metadata.labels;
    if (!labels) continue;
    const kind = labels[TRIVY_KIND_LABEL];
    const name = labels[TRIVY_NAME_LABEL];
    if (!kind || !name) continue;
    const ns =
      labels[TRIVY_NAMESPACE_LABEL] || r.metadata.namespace || 'default';
    if (kind === 'ReplicaSet') {
      const deployment = deploymentOfReplicaSet(index, ns, name);
      if (deployment === null) continue;
      if (deployment) add(map, ns, 'Deployment', deployment, r);
    }
    add(map, ns, kind, name, r);
  }
  reportMaps.set(index, map);
  return map;
}

/** The VulnerabilityReports that describe a workload's running images. */
export function reportsFor(
  index: ObjectIndex,
  w: WorkloadView,
): readonly KubeObject[] {
  return reportMap(index).get(w.namespace)?.get(w.kind)?.get(w.name) ?? NONE;
}

function count(value: unknown): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

function imageOf(report: any): string {
  const a = report?.report?.artifact;
  const server = report?.report?.registry?.server;
  if (!a || typeof a.repository !== 'string') return '?';
  const repo = server ? `${server}/${a.repository}` : a.repository;
  if (a.tag) return `${repo}:${a.tag}`;
  if (a.digest) return `${repo}@${a.digest}`;
  return repo;
}

export const imageVulnerabilityBudget: WorkloadRule = {
  id: 'image-vulnerability-budget',
  baselineRef: 'IM-04',
  category: 'images',
  severity: 'high',
  title:
    'Running images have no CRITICAL vulnerabilities and at most the tolerated number of HIGH ones (Trivy Operator)',
  rationale:
    'Known critical vulnerabilities in a running image are the easiest way in; the baseline tolerates no CRITICAL and at most 10 HIGH per image.',
  remediation: {
    summary:
      'Rebuild the image on a patched base image (or update the vulnerable packages), push a new tag and roll the workload; check the report with kubectl.',
    command: `kubectl get vulnerabilityreport -n <namespace>
trivy image --severity HIGH,CRITICAL <image>`,
  },
  scope: 'workload',
  source: 'kubernetes',
  fixUnavailable:
    'Vulnerabilities are fixed by rebuilding the image on patched packages or base image, outside the manifests.',
  // Reports are made in the cluster by Trivy Operator, never written in
  // manifests: a manifest scan has nothing to judge here.
  appliesTo: { modes: ['cluster'] },
  reads: ['VulnerabilityReport'],
  check(w: WorkloadView, ctx) {
    const reports = reportsFor(ctx.index, w);
    if (reports.length === 0) {
      return unknown(
        `No VulnerabilityReport for ${w.kind} ${w.name} yet: Trivy Operator has not scanned its images`,
      );
    }
    const maxHigh = ctx.params.maxHighVulnerabilities;
    let evidence: Evidence[] | undefined;
    let problems: string[] | undefined;
    for (let i = 0; i < reports.length; i++) {
      const r = reports[i];
      const summary = (r as any).report?.summary;
      const critical = count(summary?.criticalCount);
      const high = count(summary?.highCount);
      if (critical === 0 && high <= maxHigh) continue;
      const rname = r.metadata.name;
      const container = r.metadata.labels?.[TRIVY_CONTAINER_LABEL] ?? '?';
      const parts: string[] = [];
      if (critical > 0) {
        parts.push(`${critical} CRITICAL`);
        (evidence ??= []).push({
          path: `VulnerabilityReport/${rname}.report.summary.criticalCount`,
          value: critical,
          expected: '0',
        });
      }
      if (high > maxHigh) {
        parts.push(`${high} HIGH`);
        (evidence ??= []).push({
          path: `VulnerabilityReport/${rname}.report.summary.highCount`,
          value: high,
          expected: `at most ${maxHigh}`,
        });
      }
      (problems ??= []).push(
        `container ${container} (${imageOf(r)}) has ${parts.join(' and ')}`,
      );
    }
    if (!problems) return PASS;
    return fail(`${w.kind} ${w.name}: ${problems.join('; ')}`, evidence);
  },
};

export const trivyOperatorInstalled: KubernetesClusterRule = {
  id: 'trivy-operator-installed',
  baselineRef: 'IM-05',
  category: 'images',
  severity: 'medium',
  title: 'Continuous in-cluster image scanning is installed (Trivy Operator)',
  rationale:
    'Images scanned only at build time go stale: new CVEs are published every day against images already running. Trivy Operator rescans what runs.',
  remediation: {
    summary: 'Install Trivy Operator with Helm.',
    command: `helm repo add aqua https://aquasecurity.github.io/helm-charts/
helm repo update
helm install trivy-operator aqua/trivy-operator \\
  --namespace trivy-system \\
  --create-namespace \\
  --set trivy.ignoreUnfixed=true`,
  },
  scope: 'cluster',
  source: 'kubernetes',
  fixUnavailable:
    "Installing the Trivy Operator is the remediation's Helm command; nothing in it depends on the finding.",
  // Optional: an absent CRD is this rule's failure, not a reason to skip
  // it; the check reads the kind's status itself.
  reads: optionalReads('VulnerabilityReport', ...WORKLOAD_KINDS),
  check(_cluster, ctx) {
    const status = ctx.index.kindStatus('VulnerabilityReport');
    if (status === 'absent') {
      return fail(
        'Trivy Operator is not installed: the VulnerabilityReport CRD (vulnerabilityreports.aquasecurity.github.io) does not exist',
        [
          {
            path: 'CustomResourceDefinition/vulnerabilityreports.aquasecurity.github.io',
            value: undefined,
            expected: 'installed (Trivy Operator)',
          },
        ],
      );
    }
    if (status === 'unreadable') {
      return unknown(ctx.index.kindReason('VulnerabilityReport')!);
    }
    if (status === 'not-provided') {
      return notApplicable(ctx.index.kindReason('VulnerabilityReport')!);
    }
    if (ctx.index.ofKind('VulnerabilityReport').length > 0) return PASS;
    if (ctx.index.workloads().length === 0) return PASS;
    return fail(
      'The VulnerabilityReport CRD is installed but no report exists although workloads run: Trivy Operator is not scanning',
      [
        {
          path: 'VulnerabilityReport',
          value: [],
          expected: 'a report per scanned workload container',
        },
      ],
    );
  },
};

export const imagesTrivyRules = [
  imageVulnerabilityBudget,
  trivyOperatorInstalled,
];
