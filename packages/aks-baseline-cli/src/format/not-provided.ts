/*
 * Checks not made because the objects they need are not among the
 * manifests: the engine reports one unknown finding per rule and namespace
 * ("No NetworkPolicy objects in namespace shop are among the manifests"),
 * which is right for JSON, SARIF and JUnit but floods a page read by a
 * person. The table and Markdown show them as one block per namespace.
 * They are recognised by the engine's own wording (notProvidedReason).
 */
import {
  KNOWN_KINDS,
  notProvidedReason,
} from '@aks-baseline/plugin-aks-baseline-node';
import { describeResource, ReportFinding } from '../report';
import { plural } from './common';

/** The not-provided unknowns on one namespace (or the cluster). */
export interface NotProvidedGroup {
  /** The first finding of the group: its resource and location. */
  first: ReportFinding;
  /** Kinds not among the manifests, in the order first met. */
  kinds: string[];
  /** Baseline keys of the rules, as first met. */
  baselineRefs: string[];
  ruleIds: string[];
  /** Checks not made (the subjects each finding stands for). */
  checks: number;
  findings: ReportFinding[];
}

const CANDIDATE_KINDS = [
  'Namespace',
  ...KNOWN_KINDS.map(k => k.kind).filter(k => k !== 'Namespace'),
];
const CHECKS_NOT_MADE = /\((\d+) checks? not made\)$/;

/** The kind a finding says is not among the manifests, if it says so. */
export function notProvidedKind(f: ReportFinding): string | undefined {
  if (f.status !== 'unknown') return undefined;
  const namespace =
    f.resource.kind === 'Namespace' ? f.resource.name : undefined;
  return CANDIDATE_KINDS.find(kind =>
    f.message.startsWith(notProvidedReason(kind, namespace)),
  );
}

/** Not-provided unknowns grouped by the object they are on, each finding to its group. */
export function groupNotProvided(
  findings: readonly ReportFinding[],
): Map<ReportFinding, NotProvidedGroup> {
  const byResource = new Map<string, NotProvidedGroup>();
  const groupOf = new Map<ReportFinding, NotProvidedGroup>();
  for (const f of findings) {
    const kind = notProvidedKind(f);
    if (!kind) continue;
    const key = describeResource(f.resource);
    let group = byResource.get(key);
    if (!group) {
      group = {
        first: f,
        kinds: [],
        baselineRefs: [],
        ruleIds: [],
        checks: 0,
        findings: [],
      };
      byResource.set(key, group);
    }
    if (!group.kinds.includes(kind)) group.kinds.push(kind);
    if (!group.baselineRefs.includes(f.baselineRef))
      group.baselineRefs.push(f.baselineRef);
    group.ruleIds.push(f.ruleId);
    group.checks += Number(CHECKS_NOT_MADE.exec(f.message)?.[1] ?? 1);
    group.findings.push(f);
    groupOf.set(f, group);
  }
  return groupOf;
}

/** `Not judged in namespace shop: Namespace, NetworkPolicy not among the manifests (7 checks not made)`. */
export function notProvidedText(group: NotProvidedGroup): string {
  const r = group.first.resource;
  const where =
    r.kind === 'Namespace' ? `in namespace ${r.name}` : describeResource(r);
  return `Not judged ${where}: ${group.kinds.join(
    ', ',
  )} not among the manifests (${plural(
    group.checks,
    'check',
  )} not made; the cluster may hold them)`;
}

/** What to do about it. */
export function notProvidedHint(group: NotProvidedGroup): string {
  return group.kinds.includes('Namespace')
    ? 'include them in the scan, or give the Namespace with --namespace-context'
    : 'include them in the scan';
}
