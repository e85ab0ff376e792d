/*
 * HA-05: a Velero Schedule backs up each application namespace. The rule
 * reads `Schedule`, so when the Velero CRD is not installed the engine makes
 * it not-applicable with the reason, and unknown when schedules are
 * unreadable.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject, NamespaceView } from '../../engine/types';
import { NamespaceRule, RuleContext } from '../../engine/rule';

/** Glob match with `*` and `?` (Velero accepts both in namespace lists). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern.charCodeAt(p);
    if (
      p < pattern.length &&
      (pc === 63 /* ? */ || pc === text.charCodeAt(t))
    ) {
      p++;
      t++;
    } else if (p < pattern.length && pc === 42 /* * */) {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

function listMatches(list: unknown, namespace: string): boolean {
  if (!Array.isArray(list)) return false;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (typeof entry === 'string' && globMatch(entry, namespace)) return true;
  }
  return false;
}

/** Why a schedule does not back up the whole namespace, or undefined when it does. */
function notCovering(
  schedule: KubeObject,
  namespace: string,
): string | undefined {
  const spec = schedule.spec;
  if (!spec) return 'no spec';
  if (spec.paused === true) return 'paused';
  const template = spec.template ?? {};
  const included = template.includedNamespaces;
  // Velero: an empty or missing includedNamespaces means every namespace.
  const includesAll = !Array.isArray(included) || included.length === 0;
  if (!includesAll && !listMatches(included, namespace)) return 'not included';
  if (listMatches(template.excludedNamespaces, namespace)) return 'excluded';
  if (template.labelSelector || template.orLabelSelectors) {
    return 'backs up only objects matching a label selector';
  }
  return undefined;
}

const MAX_SCHEDULES_LISTED = 5;

function checkBackupSchedule(ns: NamespaceView, ctx: RuleContext) {
  const schedules = ctx.index.ofKind('Schedule');
  for (let i = 0; i < schedules.length; i++) {
    if (notCovering(schedules[i], ns.name) === undefined) return PASS;
  }
  if (schedules.length === 0) {
    return fail(
      `No Velero Schedule exists, so namespace ${ns.name} is never backed up.`,
      [
        {
          path: 'Schedule',
          value: [],
          expected: `a Velero Schedule whose includedNamespaces covers ${ns.name}`,
        },
      ],
    );
  }
  // Name a few schedules and why they miss the namespace; a cluster with
  // hundreds of schedules must not put all of them in every finding.
  const evidence: Evidence[] = [];
  const reasons: string[] = [];
  const shown = Math.min(schedules.length, MAX_SCHEDULES_LISTED);
  for (let i = 0; i < shown; i++) {
    const schedule = schedules[i];
    const where = schedule.metadata.namespace
      ? `${schedule.metadata.namespace}/${schedule.metadata.name}`
      : schedule.metadata.name;
    reasons.push(`${where}: ${notCovering(schedule, ns.name)}`);
    evidence.push({
      path: `Schedule/${where}.spec.template.includedNamespaces`,
      value: schedule.spec?.template?.includedNamespaces,
      expected: `includes ${ns.name} (or '*'), not excluded, not paused, no label selector`,
    });
  }
  const more =
    schedules.length > shown
      ? `; and ${schedules.length - shown} more schedules`
      : '';
  return fail(
    `No Velero Schedule backs up namespace ${ns.name} (${reasons.join(
      '; ',
    )}${more}).`,
    evidence,
  );
}

/** Velero's own namespace (where its Schedules live) is not an application to back up. */
function isApplicationNamespace(ns: NamespaceView, ctx: RuleContext): boolean {
  return ctx.index.inNamespace(ns.name, 'Schedule').length === 0;
}

export const namespaceBackupSchedule: NamespaceRule = {
  id: 'namespace-velero-backup-schedule',
  baselineRef: 'HA-05',
  category: 'availability',
  severity: 'medium',
  title: 'A Velero backup Schedule covers the namespace',
  rationale:
    'Without a scheduled backup a deleted namespace, a corrupted volume or a lost cluster cannot be restored; a Velero Schedule takes regular backups of the namespace objects and volumes to Azure storage.',
  remediation: {
    summary:
      'Create a Velero schedule that includes the namespace (and test restoring it).',
    command:
      'velero schedule create daily-backup --schedule="0 2 * * *" --include-namespaces production,staging',
  },
  scope: 'namespace',
  source: 'kubernetes',
  fixUnavailable:
    'A backup Schedule needs the storage location, schedule and retention the team chose.',
  reads: ['Schedule'],
  appliesTo: { when: isApplicationNamespace },
  check: checkBackupSchedule,
};
