/*
 * The string form of Kubernetes label selectors: the
 * `backstage.io/kubernetes-label-selector` annotation and the `labelSelector`
 * query the Kubernetes plugin sends to an API server. Comma-separated
 * requirements `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`,
 * `!k`, read into the object form `matchesSelector` matches. What an API
 * server would refuse is refused here too, with the reason, and so are the
 * numeric `k>1`/`k<1`, which object selectors do not have.
 */
import type { LabelSelector, LabelSelectorRequirement } from '../engine/labels';

/**
 * A label selector that cannot be read (an API server answers it with
 * 400 Bad Request).
 *
 * @public
 */
export class InvalidLabelSelectorError extends Error {
  constructor(selector: string, reason: string) {
    super(`Invalid label selector "${selector}": ${reason}`);
    this.name = 'InvalidLabelSelectorError';
  }
}

// Label keys: an optional DNS subdomain prefix and a name; values may be empty.
const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const KEY = new RegExp(`^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?${NAME}$`);
const VALUE = new RegExp(`^(${NAME})?$`);

const SET = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/;
const COMPARISON = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/;
const ABSENT = /^!\s*(\S+)$/;

/** Requirements split on the commas outside parentheses. */
function requirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    if (selector[i] === '(') depth++;
    else if (selector[i] === ')') depth--;
    else if (selector[i] === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts.map(part => part.trim());
}

/**
 * Reads a label selector string. Equalities go to `matchLabels` (so a
 * caller can look candidates up by one), the rest to `matchExpressions`.
 * An empty string selects everything, as on an API server: a caller for
 * which that would be too wide checks for it first.
 *
 * @throws InvalidLabelSelectorError when the selector cannot be read.
 * @public
 */
export function parseLabelSelector(selector: string): LabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (selector.trim() === '') return { matchLabels, matchExpressions };
  const fail = (reason: string): never => {
    throw new InvalidLabelSelectorError(selector, reason);
  };
  const key = (k: string) => (KEY.test(k) ? k : fail(`"${k}" is not a key`));
  const value = (v: string) =>
    VALUE.test(v) ? v : fail(`"${v}" is not a label value`);

  for (const part of requirements(selector)) {
    const set = SET.exec(part);
    const comparison = COMPARISON.exec(part);
    const absent = ABSENT.exec(part);
    if (set) {
      if (set[3].trim() === '') fail(`no values for "${set[1]}"`);
      const values = set[3].split(',').map(v => value(v.trim()));
      matchExpressions.push({
        key: key(set[1]),
        operator: set[2] === 'in' ? 'In' : 'NotIn',
        values,
      });
    } else if (comparison && comparison[2] === '!=') {
      matchExpressions.push({
        key: key(comparison[1]),
        operator: 'NotIn',
        values: [value(comparison[3])],
      });
    } else if (comparison) {
      const k = key(comparison[1]);
      const v = value(comparison[3]);
      if (!Object.prototype.hasOwnProperty.call(matchLabels, k)) {
        matchLabels[k] = v;
      } else if (matchLabels[k] !== v) {
        // k=a,k=b matches nothing: keep it as an In with no values.
        matchExpressions.push({ key: k, operator: 'In', values: [] });
      }
    } else if (absent) {
      matchExpressions.push({ key: key(absent[1]), operator: 'DoesNotExist' });
    } else if (part !== '' && !/[\s=!<>(),]/.test(part)) {
      matchExpressions.push({ key: key(part), operator: 'Exists' });
    } else {
      fail(part === '' ? 'an empty requirement' : `cannot read "${part}"`);
    }
  }
  return { matchLabels, matchExpressions };
}
