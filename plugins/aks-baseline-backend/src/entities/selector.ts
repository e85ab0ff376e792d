/*
 * An entity's label selector (read by `parseLabelSelector` of the -node
 * package, matched by its `matchesSelector`) as an index lookup: the one
 * label every matching object must carry.
 */
import type { LabelSelector } from '@aks-baseline/plugin-aks-baseline-node';

/** An equality (`key=value`) every match must have, for index lookups. */
export function anchorOf(
  selector: LabelSelector,
): { key: string; value: string } | undefined {
  const matchLabels = selector.matchLabels ?? {};
  const [first] = Object.keys(matchLabels);
  if (first !== undefined) {
    return { key: first, value: matchLabels[first] };
  }
  for (const req of selector.matchExpressions ?? []) {
    if (req.operator === 'In' && req.values?.length === 1) {
      return { key: req.key, value: req.values[0] };
    }
  }
  return undefined;
}
