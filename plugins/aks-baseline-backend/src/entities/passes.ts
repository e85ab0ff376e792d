/*
 * Which rules passed on which objects. The engine counts passes per object
 * and category (how many, and their severity weights) and lists everything
 * else as findings, so a rule's passes are worked out here, at scoring time
 * with the evaluation's own rules and configuration:
 *
 * - the candidates on an object are the enabled rules of the category that
 *   the engine checks on objects of its kind, without a finding on it: every
 *   rule that passed there is one of them (the others did not apply, or
 *   were gated at rule level);
 * - the rules that passed are the one set of candidates with as many
 *   members as the count and as much weight as the weight. When two sets
 *   fit, or none does, the passes are counted for the category without a
 *   rule (`unattributed`): never a rule named as passed that may not have.
 */
import {
  CATEGORIES,
  Category,
  CategoryTallies,
  Finding,
  ResourceRef,
  SEVERITY_WEIGHTS,
  Severity,
  StoredPasses,
  Tally,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  resolveConfig,
  subjectKindsOf,
  type AnyRuleDefinition,
  type SubjectResult,
} from '@aks-baseline/plugin-aks-baseline-node';

/** Objects named per rule; beyond them a rule's passes are counted. */
export const PASSED_OBJECTS_MAX = 20;

interface Candidate {
  ruleId: string;
  weight: number;
  /** The profiles it applies under, when limited. */
  profiles?: readonly string[];
}

/** What one object's passes came to: rule ids, and the passes no rule could be told for. */
export interface ObjectPasses {
  ruleIds: string[];
  unattributed?: Partial<Record<Category, number>>;
}

/** Rules by what the engine checks them on, with their configured weight. */
export interface PassRules {
  byKind: Map<string, Map<string, Candidate[]>>;
  byScope: Map<string, Map<string, Candidate[]>>;
}

function add(
  index: Map<string, Map<string, Candidate[]>>,
  key: string,
  category: string,
  candidate: Candidate,
) {
  let byCategory = index.get(key);
  if (!byCategory) index.set(key, (byCategory = new Map()));
  let list = byCategory.get(category);
  if (!list) byCategory.set(category, (list = []));
  list.push(candidate);
}

/**
 * The rules the evaluation ran, indexed by subject kind (workload, object
 * and namespace rules) or scope (cluster and node-pool rules). `config` is
 * the evaluation's: disabled rules never pass, overridden severities weigh
 * what the engine weighed.
 */
export function passRules(
  rules: readonly AnyRuleDefinition[],
  config: unknown,
): PassRules {
  const overrides = resolveConfig(config, rules).overrides;
  const out: PassRules = { byKind: new Map(), byScope: new Map() };
  for (const rule of rules) {
    if (rule.manual) continue;
    const override = overrides.get(rule.id);
    if (override?.enabled === false) continue;
    const severity: Severity = override?.severity ?? rule.severity;
    const candidate: Candidate = {
      ruleId: rule.id,
      weight: SEVERITY_WEIGHTS[severity],
    };
    if (rule.appliesTo?.profiles) candidate.profiles = rule.appliesTo.profiles;
    const kinds = subjectKindsOf(rule);
    for (const kind of kinds) add(out.byKind, kind, rule.category, candidate);
    if (kinds.length === 0) {
      add(out.byScope, rule.scope, rule.category, candidate);
    }
  }
  return out;
}

/**
 * The one subset of `candidates` with `count` members weighing `weight`,
 * or undefined when there is none or more than one (counted by a table of
 * ways per size and weight, capped at 2; candidates are a category's rules
 * on one kind, a few dozen at most).
 */
export function uniqueSubset(
  candidates: readonly Candidate[],
  count: number,
  weight: number,
): Candidate[] | undefined {
  if (count === 0) return weight === 0 ? [] : undefined;
  if (count > candidates.length) return undefined;
  const W = weight + 1;
  const tables: Uint8Array[] = [];
  let ways = new Uint8Array((count + 1) * W);
  ways[0] = 1;
  for (const { weight: w } of candidates) {
    tables.push(ways);
    const next = ways.slice();
    for (let s = 1; s <= count; s++) {
      for (let v = w; v < W; v++) {
        const from = ways[(s - 1) * W + v - w];
        if (from) next[s * W + v] = Math.min(2, next[s * W + v] + from);
      }
    }
    ways = next;
  }
  if (ways[count * W + weight] !== 1) return undefined;
  // Walk back: with one way in all, each candidate is in it or not.
  const chosen: Candidate[] = [];
  let s = count;
  let v = weight;
  for (let i = candidates.length - 1; i >= 0; i--) {
    if (tables[i][s * W + v] === 1) continue;
    chosen.push(candidates[i]);
    s--;
    v -= candidates[i].weight;
  }
  return chosen.reverse();
}

/** Scopes whose subjects are checked under the cluster's own profile. */
const CLUSTER_PROFILE_SCOPES = new Set(['cluster', 'nodePool']);

/**
 * The rules that passed on one object, from its tallies and its findings
 * (`profile`: the cluster's, which its cluster and node-pool subjects are
 * checked under; a rule limited to other profiles does not apply there).
 */
export function passesOnObject(
  rules: PassRules,
  subject: SubjectResult,
  findings: readonly Finding[] | undefined,
  profile?: string,
): ObjectPasses {
  const subjectProfile = CLUSTER_PROFILE_SCOPES.has(subject.scope)
    ? profile
    : undefined;
  const ruleIds: string[] = [];
  let unattributed: Partial<Record<Category, number>> | undefined;
  // Rules checked on its kind and rules of its scope: every rule that can
  // have run on it is a candidate.
  const byKind = rules.byKind.get(subject.ref.kind);
  const byScope = rules.byScope.get(subject.scope);
  const withFinding = new Set(findings?.map(f => f.ruleId));
  const tallies: CategoryTallies = subject.tallies;
  for (const [category, tally] of Object.entries(tallies) as [
    Category,
    Tally,
  ][]) {
    if (!tally || tally.passed === 0) continue;
    const candidates = [
      ...(byKind?.get(category) ?? []),
      ...(byScope?.get(category) ?? []),
    ].filter(
      c =>
        !withFinding.has(c.ruleId) &&
        !(subjectProfile && c.profiles && !c.profiles.includes(subjectProfile)),
    );
    const passed = uniqueSubset(candidates, tally.passed, tally.passedWeight);
    if (passed) {
      for (const c of passed) ruleIds.push(c.ruleId);
    } else {
      (unattributed ??= {})[category] = tally.passed;
    }
  }
  return unattributed ? { ruleIds, unattributed } : { ruleIds };
}

function refKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/**
 * An entity's passes on one cluster over its objects: per rule the first
 * objects (indexes into one list of them, each object written once) and
 * how many, and the passes told by category only.
 */
export function collectPasses(
  perObject: Iterable<{ ref: ResourceRef; passes: ObjectPasses }>,
): StoredPasses {
  const objects: string[] = [];
  const indexOf = new Map<string, number>();
  const rules: StoredPasses['rules'] = {};
  const unattributed: Partial<Record<Category, number>> = {};
  const seen = new Set<string>();
  for (const { ref, passes } of perObject) {
    const key = refKey(ref);
    for (const ruleId of passes.ruleIds) {
      if (seen.has(`${ruleId} ${key}`)) continue;
      seen.add(`${ruleId} ${key}`);
      const entry = (rules[ruleId] ??= { on: [], total: 0 });
      entry.total++;
      if (entry.on.length < PASSED_OBJECTS_MAX) {
        let index = indexOf.get(key);
        if (index === undefined) {
          index = objects.length;
          objects.push(key);
          indexOf.set(key, index);
        }
        entry.on.push(index);
      }
    }
    for (const [category, n] of Object.entries(passes.unattributed ?? {})) {
      const c = category as Category;
      unattributed[c] = (unattributed[c] ?? 0) + (n ?? 0);
    }
  }
  const out: StoredPasses = { objects, rules };
  const categories = CATEGORIES.filter(c => unattributed[c]);
  if (categories.length > 0) {
    out.unattributed = Object.fromEntries(
      categories.map(c => [c, unattributed[c]!]),
    );
  }
  return out;
}
