/*
 * Kubernetes label selectors (metav1.LabelSelector): `matchLabels` ANDed with
 * `matchExpressions` (In, NotIn, Exists, DoesNotExist). Plain loops, no
 * allocation.
 */

/** @public */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** @public */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Whether `labels` satisfy `selector`. As in Kubernetes, an empty selector
 * (`{}`) selects everything; a null/undefined selector selects nothing. An
 * unknown operator selects nothing (safer than everything).
 *
 * @public
 */
export function matchesSelector(
  selector: LabelSelector | null | undefined,
  labels: Record<string, string> | null | undefined,
): boolean {
  if (selector === null || selector === undefined) return false;
  if (typeof selector !== 'object') return false;
  const actual = labels ?? EMPTY;
  const matchLabels = selector.matchLabels;
  if (matchLabels) {
    for (const key in matchLabels) {
      if (!Object.prototype.hasOwnProperty.call(matchLabels, key)) continue;
      if (actual[key] !== matchLabels[key]) return false;
    }
  }
  const expressions = selector.matchExpressions;
  if (expressions) {
    for (let i = 0; i < expressions.length; i++) {
      if (!matchesRequirement(expressions[i], actual)) return false;
    }
  }
  return true;
}

function matchesRequirement(
  requirement: LabelSelectorRequirement,
  labels: Record<string, string>,
): boolean {
  if (!requirement || typeof requirement.key !== 'string') return false;
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  switch (requirement.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'In':
      return has && includes(requirement.values, labels[requirement.key]);
    case 'NotIn':
      // Kubernetes: NotIn matches when the key is absent too.
      return !has || !includes(requirement.values, labels[requirement.key]);
    default:
      return false;
  }
}

function includes(values: string[] | undefined, value: string): boolean {
  if (!values) return false;
  for (let i = 0; i < values.length; i++) if (values[i] === value) return true;
  return false;
}

/**
 * Whether a plain map selector (a Service's `spec.selector`) matches. An
 * empty or missing map selects nothing: a Service without selector has
 * manually managed endpoints.
 *
 * @public
 */
export function matchesMapSelector(
  selector: Record<string, string> | null | undefined,
  labels: Record<string, string> | null | undefined,
): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const actual = labels ?? EMPTY;
  let any = false;
  for (const key in selector) {
    if (!Object.prototype.hasOwnProperty.call(selector, key)) continue;
    any = true;
    if (actual[key] !== selector[key]) return false;
  }
  return any;
}

/**
 * Whether a LabelSelector is empty (`{}`): it selects every pod.
 *
 * @public
 */
export function isEmptySelector(
  selector: LabelSelector | null | undefined,
): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const ml = selector.matchLabels;
  if (ml)
    for (const key in ml)
      if (Object.prototype.hasOwnProperty.call(ml, key)) return false;
  const me = selector.matchExpressions;
  return !me || me.length === 0;
}
