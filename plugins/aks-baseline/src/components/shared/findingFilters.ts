import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  CATEGORIES,
  Category,
  FINDING_STATUSES,
  FindingFacets,
  FindingStatus,
  FindingsQuery,
  FrameworkName,
  mapsToFramework,
  RuleInfo,
  SEVERITIES,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { SEVERITY_TITLES, STATUS_TITLES, categoryTitle } from './format';

export interface FindingFilters {
  severity: string;
  category: string;
  rule: string;
  cluster: string;
  namespace: string;
  status: string;
  search: string;
  /** A framework the rules map to (`cis-aks`, `pod-security-standards`, `azure-policy`). */
  framework: string;
}

export type FilterKey = keyof FindingFilters;

export const EMPTY_FILTERS: FindingFilters = {
  severity: '',
  category: '',
  rule: '',
  cluster: '',
  namespace: '',
  status: '',
  search: '',
  framework: '',
};

/** The query parameter of each filter in the page's URL. */
const URL_PARAMS: Record<FilterKey, string> = {
  severity: 'severity',
  category: 'category',
  rule: 'rule',
  cluster: 'cluster',
  namespace: 'namespace',
  status: 'status',
  search: 'q',
  framework: 'framework',
};

/** What the namespace filter calls objects without a namespace. */
export const NO_NAMESPACE = '(cluster-scoped)';
/** The namespace filter's value for them. */
export const NO_NAMESPACE_VALUE = '-';

/**
 * The findings filters, kept in the page's URL (`?severity=high&rule=...`)
 * so that a filtered view can be shared and survives a reload; query
 * parameters of others are kept.
 */
export function useUrlFindingFilters(): [
  FindingFilters,
  (changes: Partial<FindingFilters>) => void,
] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const result = { ...EMPTY_FILTERS };
    for (const key of Object.keys(URL_PARAMS) as FilterKey[]) {
      result[key] = params.get(URL_PARAMS[key]) ?? '';
    }
    return result;
    // Same text, same filters: the query (and the table) stay put.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params.toString()]);
  const setFilters = useCallback(
    (changes: Partial<FindingFilters>) =>
      setParams(
        current => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            const name = URL_PARAMS[key as FilterKey];
            if (value) next.set(name, value);
            else next.delete(name);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [filters, setFilters];
}

/** The frameworks the findings can be filtered by, as the filter names them. */
export const FRAMEWORK_TITLES: Record<FrameworkName, string> = {
  'cis-aks': 'CIS AKS Benchmark',
  'pod-security-standards': 'Pod Security Standards',
  'azure-policy': 'Azure Policy',
};

/**
 * The rule filter of a framework filter: the rules that map to it (and to
 * the rule picked, if any). No rule maps: a rule id no finding has, so the
 * list is empty rather than unfiltered.
 */
function frameworkRules(
  framework: string,
  rule: string,
  rules: ReadonlyMap<string, RuleInfo>,
): string[] {
  const ids = [...rules.values()]
    .filter(r => mapsToFramework(r.frameworks, framework as FrameworkName))
    .map(r => r.id)
    .filter(id => !rule || id === rule);
  return ids.length ? ids : [`(no rule maps to ${framework})`];
}

/** The backend query of the filters (the statuses shown when none is picked). */
export function findingsQuery(
  filters: FindingFilters,
  statuses: readonly FindingStatus[],
  rules?: ReadonlyMap<string, RuleInfo>,
): FindingsQuery {
  const one = <T extends string>(value: string) =>
    value ? [value as T] : undefined;
  return {
    severity: one<Severity>(filters.severity),
    category: one<Category>(filters.category),
    rule:
      filters.framework && rules
        ? frameworkRules(filters.framework, filters.rule, rules)
        : one(filters.rule),
    cluster: one(filters.cluster),
    // The backend's value for cluster-scoped objects is ''.
    namespace:
      filters.namespace === NO_NAMESPACE_VALUE ? [''] : one(filters.namespace),
    status: filters.status ? [filters.status as FindingStatus] : [...statuses],
    q: filters.search.trim() || undefined,
  };
}

export interface FilterOption {
  value: string;
  label: string;
  count?: number;
}

/** A select filter: the facet it counts with, and how its values are listed. */
export interface SelectFilter {
  key: Exclude<FilterKey, 'search'>;
  label: string;
  allLabel: string;
  options(
    facets: FindingFacets,
    statuses: readonly FindingStatus[],
    rules: readonly FilterOption[],
  ): FilterOption[];
}

/** The values of a facet in `order` (else sorted), with their counts. */
function facetOptions(
  counts: Partial<Record<string, number>>,
  order?: readonly string[],
  title: (value: string) => string = v => v,
): FilterOption[] {
  const present = Object.keys(counts).filter(v => counts[v]);
  const values = order
    ? order.filter(v => present.includes(v))
    : present.sort();
  return values.map(value => ({
    value,
    label: title(value),
    count: counts[value],
  }));
}

/** The select filters, in display order. */
export const SELECT_FILTERS: readonly SelectFilter[] = [
  {
    key: 'severity',
    label: 'Severity',
    allLabel: 'All severities',
    options: f =>
      facetOptions(f.severity, SEVERITIES, v => SEVERITY_TITLES[v as Severity]),
  },
  {
    key: 'category',
    label: 'Category',
    allLabel: 'All categories',
    options: f => facetOptions(f.category, CATEGORIES, categoryTitle),
  },
  {
    key: 'framework',
    label: 'Framework',
    allLabel: 'All frameworks',
    options: () =>
      Object.entries(FRAMEWORK_TITLES).map(([value, label]) => ({
        value,
        label,
      })),
  },
  {
    key: 'rule',
    label: 'Rule',
    allLabel: 'All rules',
    options: (_f, _s, rules) => [...rules],
  },
  {
    key: 'cluster',
    label: 'Cluster',
    allLabel: 'All clusters',
    options: f => facetOptions(f.cluster),
  },
  {
    key: 'namespace',
    label: 'Namespace',
    allLabel: 'All namespaces',
    options: f =>
      facetOptions(f.namespace).map(o =>
        o.value === ''
          ? { ...o, value: NO_NAMESPACE_VALUE, label: NO_NAMESPACE }
          : o,
      ),
  },
  {
    key: 'status',
    label: 'Status',
    allLabel: 'All statuses',
    options: (f, statuses) =>
      facetOptions(
        f.status,
        FINDING_STATUSES.filter(s => statuses.includes(s)),
        v => STATUS_TITLES[v as FindingStatus],
      ),
  },
];

/**
 * A select's options with the value in use among them: a value from a
 * shared link that the counts do not list (say a rule that no longer
 * fails) stays visible and can be cleared.
 */
export function withCurrent(
  options: FilterOption[],
  value: string,
): FilterOption[] {
  if (!value || options.some(o => o.value === value)) return options;
  return [...options, { value, label: value }];
}

/**
 * Whether the passed checks are listed beside the findings (`?passed=1`
 * in the page's URL, like the filters).
 */
export function useShowPassed(): [boolean, (show: boolean) => void] {
  const [params, setParams] = useSearchParams();
  const show = params.get('passed') === '1';
  const setShow = useCallback(
    (value: boolean) =>
      setParams(
        current => {
          const next = new URLSearchParams(current);
          if (value) next.set('passed', '1');
          else next.delete('passed');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [show, setShow];
}
