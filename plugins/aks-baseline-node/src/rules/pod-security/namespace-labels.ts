/*
 * PS-01: Pod Security Admission labels on application namespaces.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS, unknown } from '../../engine/outcomes';
import { NamespaceView } from '../../engine/types';
import { NamespaceRule, RuleContext } from '../../engine/rule';
import { metadataMapPatch, targetOf } from '../shared/fixes';

const PSA_PREFIX = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'audit', 'warn'] as const;
const MODE_LABELS = [
  `${PSA_PREFIX}enforce`,
  `${PSA_PREFIX}audit`,
  `${PSA_PREFIX}warn`,
] as const;

/** PSA levels from weakest to strictest; PSA parses them case-sensitively. */
function levelRank(level: string | undefined): number {
  switch (level) {
    case 'restricted':
      return 2;
    case 'baseline':
      return 1;
    case 'privileged':
      return 0;
    default:
      return -1;
  }
}

function checkPsaLabels(ns: NamespaceView, ctx: RuleContext) {
  if (!ns.object) {
    return unknown(
      `The Namespace object ${ns.name} was not read, so its Pod Security labels cannot be checked.`,
    );
  }
  const labels = ns.labels;
  const required = ctx.profile === 'production' ? 2 : 1;
  // Fast path: all three labels at or above the required level.
  let ok = true;
  for (let i = 0; i < MODE_LABELS.length; i++) {
    if (levelRank(labels[MODE_LABELS[i]]) < required) {
      ok = false;
      break;
    }
  }
  if (ok) return PASS;

  const expected = required === 2 ? 'restricted' : 'baseline or restricted';
  const missing: string[] = [];
  const weak: string[] = [];
  const evidence: Evidence[] = [];
  for (let i = 0; i < MODE_LABELS.length; i++) {
    const value = labels[MODE_LABELS[i]];
    const rank = levelRank(value);
    if (rank >= required) continue;
    if (value === undefined) missing.push(MODES[i]);
    else weak.push(`${MODES[i]}=${value}`);
    evidence.push({
      path: `metadata.labels['${MODE_LABELS[i]}']`,
      value,
      expected,
    });
  }
  const parts: string[] = [];
  if (missing.length) {
    parts.push(`missing Pod Security label(s) ${missing.join(', ')}`);
  }
  if (weak.length) {
    parts.push(`level too weak or invalid: ${weak.join(', ')}`);
  }
  const profileText =
    required === 2
      ? 'production namespaces need restricted'
      : 'namespaces need at least baseline';
  return fail(
    `Namespace ${ns.name}: ${parts.join(
      '; ',
    )} (${profileText} for enforce, audit and warn).`,
    evidence,
  );
}

export const namespacePodSecurityLabels: NamespaceRule = {
  id: 'namespace-pod-security-labels',
  baselineRef: 'PS-01',
  category: 'pod-security',
  severity: 'high',
  title:
    'Namespace enforces Pod Security Standards (restricted in production, baseline elsewhere)',
  rationale:
    'Pod Security Admission rejects pods that break the namespace level at admission time; without the enforce label any pod, privileged ones included, is admitted. The audit and warn labels make violations visible before they are enforced.',
  remediation: {
    summary:
      'Label the namespace with enforce, audit and warn levels: restricted for production, at least baseline elsewhere.',
    command:
      'kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/warn=restricted --overwrite',
    snippet: `apiVersion: v1
kind: Namespace
metadata:
  name: production
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
---
# baseline for less restrictive namespaces
apiVersion: v1
kind: Namespace
metadata:
  name: development
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/audit: baseline
    pod-security.kubernetes.io/warn: baseline`,
  },
  scope: 'namespace',
  source: 'kubernetes',
  reads: ['Namespace'],
  check: checkPsaLabels,
  // Each missing or weak mode label at the profile's level.
  fix(ns, _evidence, ctx) {
    if (!ns.object) return undefined;
    const level = ctx.profile === 'production' ? 'restricted' : 'baseline';
    const required = levelRank(level);
    const labels: Record<string, string> = {};
    for (const label of MODE_LABELS) {
      if (levelRank(ns.labels[label]) < required) labels[label] = level;
    }
    return {
      kind: 'patch',
      target: targetOf(ns.object),
      format: 'json-patch',
      operations: metadataMapPatch(ns.object, 'labels', labels),
      summary: `Label namespace ${ns.name} with Pod Security level ${level} for enforce, audit and warn`,
    };
  },
};
