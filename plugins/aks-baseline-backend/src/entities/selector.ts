/*
 * The string form of Kubernetes label selectors, as written in the
 * `backstage.io/kubernetes-label-selector` annotation and sent by the
 * Kubernetes plugin as `labelSelector`: comma-separated requirements
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
 * Parsed into the object form the engine matches.
 */

export interface ParsedRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface ParsedSelector {
  matchLabels: Record<string, string>;
  matchExpressions: ParsedRequirement[];
}

/** A label selector annotation that cannot be parsed. */
export class LabelSelectorSyntaxError extends Error {
  constructor(selector: string, detail: string) {
    super(`Invalid label selector "${selector}": ${detail}`);
    this.name = 'LabelSelectorSyntaxError';
  }
}

// Qualified key: optional DNS prefix and a name of alphanumerics, - _ .
const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas outside parentheses. */
function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim());
}

export function parseLabelSelector(text: string): ParsedSelector {
  const selector: ParsedSelector = { matchLabels: {}, matchExpressions: [] };
  const source = text.trim();
  if (source === '') {
    throw new LabelSelectorSyntaxError(text, 'it is empty');
  }
  const checkKey = (key: string) => {
    if (!KEY.test(key)) {
      throw new LabelSelectorSyntaxError(text, `"${key}" is not a label key`);
    }
  };
  const checkValue = (value: string) => {
    if (!VALUE.test(value)) {
      throw new LabelSelectorSyntaxError(
        text,
        `"${value}" is not a label value`,
      );
    }
  };
  for (const part of splitRequirements(source)) {
    if (part === '')
      throw new LabelSelectorSyntaxError(text, 'empty requirement');
    const set = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
    if (set) {
      const [, key, op, list] = set;
      checkKey(key);
      const values = list
        .split(',')
        .map(v => v.trim())
        .filter(v => v !== '');
      if (values.length === 0) {
        throw new LabelSelectorSyntaxError(text, `no values for "${key}"`);
      }
      values.forEach(checkValue);
      selector.matchExpressions.push({
        key,
        operator: op === 'in' ? 'In' : 'NotIn',
        values,
      });
      continue;
    }
    const notEqual = /^([^=!\s]+)\s*!=\s*(\S*)$/.exec(part);
    if (notEqual) {
      checkKey(notEqual[1]);
      checkValue(notEqual[2]);
      selector.matchExpressions.push({
        key: notEqual[1],
        operator: 'NotIn',
        values: [notEqual[2]],
      });
      continue;
    }
    const equal = /^([^=!\s]+)\s*==?\s*(\S*)$/.exec(part);
    if (equal) {
      const [, key, value] = equal;
      checkKey(key);
      checkValue(value);
      if (key in selector.matchLabels && selector.matchLabels[key] !== value) {
        // k=a,k=b can match nothing: keep it as an impossible In.
        selector.matchExpressions.push({ key, operator: 'In', values: [] });
      } else {
        selector.matchLabels[key] = value;
      }
      continue;
    }
    if (part.startsWith('!')) {
      const key = part.slice(1).trim();
      checkKey(key);
      selector.matchExpressions.push({ key, operator: 'DoesNotExist' });
      continue;
    }
    checkKey(part);
    selector.matchExpressions.push({ key: part, operator: 'Exists' });
  }
  return selector;
}

/** Whether `labels` satisfy the selector (Kubernetes semantics). */
export function selectorMatches(
  selector: ParsedSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const actual = labels ?? {};
  for (const key in selector.matchLabels) {
    if (actual[key] !== selector.matchLabels[key]) return false;
  }
  for (const req of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(actual, req.key);
    switch (req.operator) {
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      case 'In':
        if (!has || !req.values!.includes(actual[req.key])) return false;
        break;
      case 'NotIn':
        if (has && req.values!.includes(actual[req.key])) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** An equality (`key=value`) every match must have, for index lookups. */
export function anchorOf(
  selector: ParsedSelector,
): { key: string; value: string } | undefined {
  const [first] = Object.keys(selector.matchLabels);
  if (first !== undefined) {
    return { key: first, value: selector.matchLabels[first] };
  }
  for (const req of selector.matchExpressions) {
    if (req.operator === 'In' && req.values?.length === 1) {
      return { key: req.key, value: req.values[0] };
    }
  }
  return undefined;
}
