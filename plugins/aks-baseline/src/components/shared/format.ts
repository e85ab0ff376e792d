import {
  CATEGORY_TITLES,
  Category,
  FindingStatus,
  Grade,
  ResourceRef,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';

export const GRADE_WORDS: Record<Grade, string> = {
  A: 'Excellent',
  B: 'Good',
  C: 'Fair',
  D: 'Poor',
  F: 'Failing',
};

export const SEVERITY_TITLES: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const STATUS_TITLES: Record<FindingStatus, string> = {
  fail: 'Failing',
  waived: 'Waived',
  unknown: 'Unknown',
  'not-applicable': 'Not applicable',
  manual: 'Manual check',
};

export function categoryTitle(category: Category | string): string {
  return CATEGORY_TITLES[category as Category] ?? category;
}

/** `Deployment payments/checkout-api`, `AgentPool nodepool1`. */
export function resourceLabel(resource: ResourceRef): string {
  const name = resource.namespace
    ? `${resource.namespace}/${resource.name}`
    : resource.name;
  return `${resource.kind} ${name}`;
}

/** `group:default/team-payments` → `team-payments`; other namespaces kept. */
export function shortRef(ref: string | undefined): string {
  if (!ref) return '';
  const match = ref.match(/^(?:([^:]+):)?(?:([^/]+)\/)?(.+)$/);
  if (!match) return ref;
  const [, , namespace, name] = match;
  return namespace && namespace !== 'default' ? `${namespace}/${name}` : name;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", "just now". */
export function relativeTime(
  iso: string | undefined,
  now = Date.now(),
): string {
  if (!iso) return 'never';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((time - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(Math.round(seconds / 60), 'minute');
}

/** Full local date and time, for tooltips. */
export function absoluteTime(iso: string | undefined): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** A JSON value as evidence shows it: `undefined` as "(not set)". */
export function evidenceValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
