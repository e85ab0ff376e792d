/*
 * What a cluster's unreadable kinds cost: the kinds with their reasons, and
 * the engine's rule-level `unknown` findings they caused, with what each
 * needed. An entity's score on the cluster takes the ones that concern it
 * (scoreEntities.ts), so that a kind nobody could list never reads as a
 * clean score.
 */
import type {
  Finding,
  UnreadableKind,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  gatedReadsOf,
  subjectKindsOf,
  type AnyRuleDefinition,
  type ClusterSnapshot,
  type EvaluationResult,
} from '@aks-baseline/plugin-aks-baseline-node';

/** The kinds the snapshot could not list, by kind name. */
export function unreadableKindsOf(snapshot: ClusterSnapshot): UnreadableKind[] {
  return Object.entries(snapshot.coverage.unreadable)
    .map(([kind, reason]) => ({ kind, reason }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}

/** Scopes whose checks land on objects an entity's annotations select. */
const ENTITY_SCOPES = new Set(['workload', 'object', 'namespace']);

/** A rule the engine could not check everywhere for want of a kind. */
export interface RuleLevelUnknown {
  /** The engine's rule-level findings (on the cluster), with the reasons. */
  findings: Finding[];
  category: Finding['category'];
  subjectKinds: readonly string[];
  /**
   * Its subjects' kinds include an unreadable one: some subjects are
   * missing (the engine counts that once, on the cluster).
   */
  missingSubjects: boolean;
  /** The unreadable kinds it needed (subjects or reads). */
  kinds: UnreadableKind[];
}

/**
 * The rule-level `unknown` findings of rules checked on objects an entity
 * can own, caused by unreadable kinds.
 */
export function ruleLevelUnknowns(
  result: EvaluationResult,
  snapshot: ClusterSnapshot,
  rules: readonly AnyRuleDefinition[],
): RuleLevelUnknown[] {
  const unreadable = snapshot.coverage.unreadable;
  if (Object.keys(unreadable).length === 0) return [];
  const byId = new Map(rules.map(rule => [rule.id, rule]));
  const byRule = new Map<string, RuleLevelUnknown>();
  for (const finding of result.findings) {
    if (
      finding.status !== 'unknown' ||
      finding.resource.kind !== 'ManagedCluster' ||
      finding.resource.name !== result.cluster
    ) {
      continue;
    }
    const seen = byRule.get(finding.ruleId);
    if (seen) {
      seen.findings.push(finding);
      continue;
    }
    const rule = byId.get(finding.ruleId);
    if (!rule || !ENTITY_SCOPES.has(rule.scope)) continue;
    const subjectKinds = subjectKindsOf(rule);
    const needed = new Set(
      [...subjectKinds, ...gatedReadsOf(rule)].filter(kind =>
        Object.prototype.hasOwnProperty.call(unreadable, kind),
      ),
    );
    if (needed.size === 0) continue;
    byRule.set(rule.id, {
      findings: [finding],
      category: finding.category,
      subjectKinds,
      missingSubjects: subjectKinds.some(kind => needed.has(kind)),
      kinds: [...needed].sort().map(kind => ({
        kind,
        reason: unreadable[kind],
      })),
    });
  }
  return [...byRule.values()];
}
