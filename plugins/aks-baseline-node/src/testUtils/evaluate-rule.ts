import {
  CheckStatus,
  Evidence,
  FixSuggestion,
  Profile,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import { newEngineContext } from '../engine/context';
import { KindTable } from '../engine/kinds';
import { buildObjectIndex } from '../engine/object-index';
import { defaultParameters } from '../engine/params';
import { suggestFix } from '../engine/suggest-fix';
import { partsOf } from '../engine/rule-parts';
import {
  buildClusterView,
  checkSubject,
  gateRule,
  Subjects,
  unreadableSubjectKinds,
  unreadableSubjectsMessage,
} from '../engine/subjects';
import type {
  ClusterSnapshot,
  ClusterView,
  ObjectIndex,
  RuleDefinition,
  RuleParameters,
} from '@aks-baseline/plugin-aks-baseline-node';

/** @public */
export interface EvaluateRuleOptions {
  /** Merged over the defaults. */
  params?: Partial<RuleParameters>;
  /** Forces the cluster profile (else the `Environment` tag decides). */
  profile?: Profile;
  /** Defaults to 2026-01-15T00:00:00Z so that date-based rules are stable. */
  now?: Date;
}

/**
 * One subject's outcome, as the engine would see it.
 *
 * @public
 */
export interface RuleTestOutcome {
  ref: ResourceRef;
  status: CheckStatus;
  message?: string;
  evidence?: Evidence[];
  /** The subject's profile. */
  profile: Profile;
  /** Set when a rule-level gate (absent CRD, unreadable kind) decided. */
  gated?: boolean;
  /** Set on a manifest scan's not-provided outcome (see kindStatus). */
  notProvided?: { kind: string; namespace: string };
  /** What the rule's `fix` suggests for a failure (when it has one). */
  fix?: FixSuggestion;
}

/** @public */
export interface RuleTestResult {
  outcomes: RuleTestOutcome[];
  /** Set when the engine would not evaluate the rule at all (then no outcomes). */
  skipped?: string;
  /**
   * The rule-level unknown finding's message when some of the rule's subject
   * kinds could not be listed (its other subjects are in `outcomes`).
   */
  unlistedSubjects?: string;
  cluster: ClusterView;
  index: ObjectIndex;
}

/** @public */
export const DEFAULT_TEST_NOW = new Date('2026-01-15T00:00:00Z');

/**
 * Evaluates one rule on a snapshot with the engine's own subjects, gates and
 * profiles: a rule test needs no engine internals.
 *
 * @example
 * ```ts
 * const { outcomes } = evaluateRule(rule, makeSnapshot({ objects: [list] }));
 * expect(outcomeFor(outcomes, 'web', 'shop')).toMatchObject({ status: 'fail' });
 * ```
 *
 * @public
 */
export function evaluateRuleDetailed(
  rule: RuleDefinition,
  snapshot: ClusterSnapshot,
  options: EvaluateRuleOptions = {},
): RuleTestResult {
  const parts = partsOf(rule);
  const params: RuleParameters = { ...defaultParameters(), ...options.params };
  const cluster = buildClusterView(snapshot, params, options.profile);
  const kinds = new KindTable([
    ...(snapshot.customKinds ?? []),
    ...parts.customKinds,
  ]);
  const index = buildObjectIndex(snapshot, cluster, params, kinds);
  const subjects = new Subjects(cluster, index, params, snapshot.coverage.mode);
  const result: RuleTestResult = { outcomes: [], cluster, index };
  if (rule.manual) {
    result.skipped = `Manual rule: ${rule.manual.reason}`;
    return result;
  }
  const gate = gateRule(parts, snapshot, index);
  if (gate?.action === 'skip') {
    result.skipped = gate.reason;
    return result;
  }
  const unlisted = unreadableSubjectKinds(
    parts,
    snapshot,
    gate?.action === 'unknown' ? gate.kind : undefined,
  );
  if (unlisted.length > 0) {
    result.unlistedSubjects = unreadableSubjectsMessage(unlisted);
  }
  const ctx = newEngineContext(
    cluster,
    index,
    params,
    options.now ?? DEFAULT_TEST_NOW,
  );
  for (const entry of subjects.forRule(parts)) {
    if (gate) {
      result.outcomes.push({
        ref: entry.ref,
        status: gate.action,
        message: gate.message,
        profile: entry.profile,
        gated: true,
      });
      continue;
    }
    const outcome = checkSubject(rule, entry, ctx);
    const out: RuleTestOutcome = {
      ref: entry.ref,
      status: outcome.status,
      profile: entry.profile,
    };
    if (outcome.message !== undefined) out.message = outcome.message;
    if (outcome.evidence !== undefined) out.evidence = outcome.evidence;
    if (outcome.notProvided !== undefined)
      out.notProvided = outcome.notProvided;
    if (outcome.status === 'fail') {
      const suggestion = suggestFix(rule, entry, outcome.evidence ?? [], ctx);
      if (suggestion) out.fix = suggestion;
    }
    result.outcomes.push(out);
  }
  return result;
}

/**
 * The outcomes of one rule per subject (see {@link evaluateRuleDetailed}).
 *
 * @public
 */
export function evaluateRule(
  rule: RuleDefinition,
  snapshot: ClusterSnapshot,
  options: EvaluateRuleOptions = {},
): RuleTestOutcome[] {
  return evaluateRuleDetailed(rule, snapshot, options).outcomes;
}

/**
 * The outcome for the subject named `name` (and `namespace`, and `kind`
 * when given); throws listing the subjects when there is none, so a typo
 * fails loudly.
 *
 * @public
 */
export function outcomeFor(
  outcomes: RuleTestOutcome[],
  name: string,
  namespace?: string,
  kind?: string,
): RuleTestOutcome {
  const hit = outcomes.find(
    o =>
      o.ref.name === name &&
      (namespace === undefined || o.ref.namespace === namespace) &&
      (kind === undefined || o.ref.kind === kind),
  );
  if (!hit) {
    const names = outcomes
      .map(
        o =>
          `${o.ref.kind} ${o.ref.namespace ? `${o.ref.namespace}/` : ''}${
            o.ref.name
          }`,
      )
      .join(', ');
    throw new Error(
      `No outcome for ${namespace ? `${namespace}/` : ''}${name}; subjects: ${
        names || '(none)'
      }`,
    );
  }
  return hit;
}
