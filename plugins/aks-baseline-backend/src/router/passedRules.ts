/*
 * An entity's stored passes as the passed route serves them: each rule with
 * its title, category and configured severity and the objects it passed on,
 * and the passes counted without a rule. Clusters in name order, categories
 * in the baseline's order, the most severe rules first.
 */
import {
  CATEGORIES,
  Category,
  compareSeverity,
  PassedChecksResponse,
  PassedRule,
  ResourceRef,
  RuleInfo,
  StoredPasses,
  UnattributedPasses,
} from '@aks-baseline/plugin-aks-baseline-common';

/** `Kind/namespace/name` as stored (names and kinds hold no `/`). */
function refOf(key: string): ResourceRef {
  const [kind, namespace, ...name] = key.split('/');
  const ref: ResourceRef = { kind, name: name.join('/') };
  if (namespace) ref.namespace = namespace;
  return ref;
}

const categoryOrder = (c: Category) => CATEGORIES.indexOf(c);

export function passedRulesOf(
  parts: readonly { cluster: string; passes: StoredPasses | null }[],
  rulesById: ReadonlyMap<string, RuleInfo>,
): Pick<PassedChecksResponse, 'rules' | 'unattributed'> {
  const rules: PassedRule[] = [];
  const unattributed: UnattributedPasses[] = [];
  let kept = false;
  for (const { cluster, passes } of parts) {
    if (!passes) continue;
    kept = true;
    for (const [ruleId, { on, total }] of Object.entries(passes.rules)) {
      const rule = rulesById.get(ruleId);
      // A rule no longer served: its passes stay in the category counts.
      if (!rule) continue;
      rules.push({
        cluster,
        ruleId,
        title: rule.title,
        category: rule.category,
        severity: rule.severity,
        objects: on.map(i => refOf(passes.objects[i])),
        total,
      });
    }
    for (const [category, passed] of Object.entries(
      passes.unattributed ?? {},
    )) {
      if (passed)
        unattributed.push({ cluster, category: category as Category, passed });
    }
  }
  if (!kept) return {};
  rules.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      categoryOrder(a.category) - categoryOrder(b.category) ||
      compareSeverity(a.severity, b.severity) ||
      a.ruleId.localeCompare(b.ruleId),
  );
  unattributed.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      categoryOrder(a.category) - categoryOrder(b.category),
  );
  return { rules, unattributed };
}
