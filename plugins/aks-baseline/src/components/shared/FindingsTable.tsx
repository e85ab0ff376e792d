import {
  ChangeEvent,
  CSSProperties,
  ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import Paper from '@material-ui/core/Paper';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  CATEGORIES,
  Category,
  FINDING_STATUSES,
  Finding,
  FindingFacets,
  FindingStatus,
  FindingsPage,
  FindingsQuery,
  RuleInfo,
  SEVERITIES,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { SeverityChip, StatusChip } from './Chips';
import { FindingDetails } from './FindingDetails';
import {
  SEVERITY_TITLES,
  STATUS_TITLES,
  categoryTitle,
  resourceLabel,
} from './format';

/** A finding as a table row. */
export interface FindingRow {
  id: string;
  finding: Finding;
  rule?: RuleInfo;
  title: string;
  namespace: string;
}

export interface FindingFilters {
  severity: string;
  category: string;
  cluster: string;
  namespace: string;
  status: string;
  search: string;
}

export const EMPTY_FILTERS: FindingFilters = {
  severity: '',
  category: '',
  cluster: '',
  namespace: '',
  status: '',
  search: '',
};

/** What the namespace filter calls objects without a namespace. */
const NO_NAMESPACE = '(cluster-scoped)';
/** The namespace filter's value for them. */
const NO_NAMESPACE_VALUE = '-';

const PAGE_SIZES = [20, 50, 100];

const useStyles = makeStyles(theme => ({
  header: {
    padding: theme.spacing(2.5, 2, 1, 2),
  },
  heading: {
    fontWeight: 700,
  },
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    padding: theme.spacing(2, 2, 1, 2),
  },
  select: {
    minWidth: 150,
  },
  search: {
    flex: '1 1 220px',
    minWidth: 220,
  },
  summary: {
    padding: theme.spacing(0, 2, 1, 2),
  },
  ruleTitle: {
    fontWeight: 600,
  },
}));

export function toRows(
  findings: readonly Finding[],
  rules: ReadonlyMap<string, RuleInfo>,
  offset = 0,
): FindingRow[] {
  return findings.map((finding, i) => {
    const rule = rules.get(finding.ruleId);
    return {
      id: `${finding.cluster ?? ''}/${finding.ruleId}/${
        finding.resource.kind
      }/${finding.resource.namespace ?? ''}/${finding.resource.name}/${
        offset + i
      }`,
      finding,
      rule,
      title: rule?.title ?? finding.ruleId,
      namespace: finding.resource.namespace ?? NO_NAMESPACE,
    };
  });
}

/** The backend query of the filters (the statuses shown when none is picked). */
export function findingsQuery(
  filters: FindingFilters,
  statuses: readonly FindingStatus[],
): FindingsQuery {
  const one = <T extends string>(value: string) =>
    value ? [value as T] : undefined;
  return {
    severity: one<Severity>(filters.severity),
    category: one<Category>(filters.category),
    cluster: one(filters.cluster),
    // The backend's value for cluster-scoped objects is ''.
    namespace:
      filters.namespace === NO_NAMESPACE_VALUE ? [''] : one(filters.namespace),
    status: filters.status ? [filters.status as FindingStatus] : [...statuses],
    q: filters.search.trim() || undefined,
  };
}

/** The table sits in the same card as its filters. */
function PlainContainer(props: {
  children?: ReactNode;
  style?: CSSProperties;
  className?: string;
}) {
  return (
    <div style={props.style} className={props.className}>
      {props.children}
    </div>
  );
}

const DETAIL_PANEL = [
  {
    tooltip: 'Show evidence and fix',
    render: ({ rowData }: { rowData: FindingRow }) => (
      <FindingDetails finding={rowData.finding} rule={rowData.rule} />
    ),
  },
];

interface Option {
  value: string;
  label: string;
  count?: number;
}

/** A select filter: the facet it counts with, and how its values are listed. */
interface SelectFilter {
  key: Exclude<keyof FindingFilters, 'search'>;
  label: string;
  allLabel: string;
  options(facets: FindingFacets, statuses: readonly FindingStatus[]): Option[];
}

/** The values of a facet in `order` (else sorted), with their counts. */
function facetOptions(
  counts: Partial<Record<string, number>>,
  order?: readonly string[],
  title: (value: string) => string = v => v,
): Option[] {
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
const SELECT_FILTERS: readonly SelectFilter[] = [
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

function FilterSelect(props: {
  id: string;
  label: string;
  allLabel: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      value={props.value}
      onChange={(e: ChangeEvent<HTMLInputElement>) =>
        props.onChange(e.target.value)
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      className={classes.select}
      size="small"
      variant="outlined"
      inputProps={{ 'data-testid': `${props.id}-select` }}
    >
      <option value="">{props.allLabel}</option>
      {props.options.map(o => (
        <option key={o.value} value={o.value}>
          {o.label}
          {o.count !== undefined ? ` (${o.count})` : ''}
        </option>
      ))}
    </TextField>
  );
}

/**
 * Findings a page at a time, filtered and paged by the backend: filter by
 * severity, category, cluster, namespace and status (with the counts the
 * backend prepared), search text; a row opens its evidence, rationale,
 * fix, waiver and baseline key.
 */
export function FindingsTable(props: {
  /** One page of findings from the backend. */
  load: (query: FindingsQuery) => Promise<FindingsPage>;
  /** Counts of every finding by filter value (what the filters offer). */
  facets: FindingFacets;
  rules: ReadonlyMap<string, RuleInfo>;
  title?: string;
  /** The statuses listed (the entity tab leaves manual ones to its checklist). */
  statuses?: readonly FindingStatus[];
  /** Hide the cluster filter and column (single-cluster views). */
  singleCluster?: boolean;
  initialFilters?: Partial<FindingFilters>;
}) {
  const { load, facets, rules, title = 'Findings', singleCluster } = props;
  const statuses = props.statuses ?? FINDING_STATUSES;
  const classes = useStyles();
  const [filters, setFilters] = useState<FindingFilters>({
    ...EMPTY_FILTERS,
    ...props.initialFilters,
  });
  // Typing searches once it pauses, not on every key.
  const [search, setSearch] = useState(filters.search);
  useDebounce(
    () => setFilters(f => (f.search === search ? f : { ...f, search })),
    300,
    [search],
  );
  const set = (key: keyof FindingFilters) => (value: string) =>
    setFilters(f => ({ ...f, [key]: value }));

  const query = useMemo(
    () => findingsQuery(filters, statuses),
    // statuses is a constant list per use.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filters],
  );
  const [matching, setMatching] = useState<number | undefined>();
  const [error, setError] = useState<Error | undefined>();
  /** The cursor of each page of the current query, by page index. */
  const cursors = useRef(new Map<number, string | undefined>());
  const total = useRef(0);
  const tableRef = useRef<any>();

  const data = useCallback(
    async (request: { page: number; pageSize: number }) => {
      // A page is reached from the one before it; anything else starts over.
      const known = request.page > 0 && cursors.current.has(request.page);
      if (!known) cursors.current = new Map([[0, undefined]]);
      const q = known ? request : { ...request, page: 0 };
      try {
        const page = await load({
          ...query,
          limit: q.pageSize,
          cursor: cursors.current.get(q.page),
        });
        if (page.total !== undefined) {
          total.current = page.total;
          setMatching(page.total);
        }
        if (page.nextCursor) cursors.current.set(q.page + 1, page.nextCursor);
        setError(undefined);
        const offset = q.page * q.pageSize;
        return {
          data: toRows(page.items, rules, offset),
          page: q.page,
          // The last page may be short of a full page: there is no next.
          totalCount: page.nextCursor
            ? Math.max(total.current, offset + q.pageSize + 1)
            : offset + page.items.length,
        };
      } catch (e) {
        setError(e as Error);
        return { data: [], page: 0, totalCount: 0 };
      }
    },
    [load, query, rules],
  );

  // New filters: back to the first page (once per change of the query).
  const shown = useRef(query);
  useEffect(() => {
    if (shown.current === query) return;
    shown.current = query;
    tableRef.current?.onQueryChange({ page: 0 });
  }, [query]);

  const selectFilters = useMemo(
    () =>
      SELECT_FILTERS.filter(f => !(singleCluster && f.key === 'cluster')).map(
        filter => ({ filter, options: filter.options(facets, statuses) }),
      ),
    // statuses is a constant list per use.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [facets, singleCluster],
  );
  const all = statuses.reduce((n, s) => n + (facets.status[s] ?? 0), 0);
  const active = Object.values(filters).some(Boolean);

  const columns: TableColumn<FindingRow>[] = useMemo(
    () => [
      {
        title: 'Severity',
        field: 'finding.severity',
        width: '110px',
        sorting: false,
        render: row => <SeverityChip severity={row.finding.severity} />,
      },
      {
        title: 'Status',
        field: 'finding.status',
        width: '140px',
        sorting: false,
        render: row => (
          <StatusChip
            status={row.finding.status}
            expired={row.finding.waiver?.expired}
          />
        ),
      },
      {
        title: 'Rule',
        field: 'title',
        highlight: true,
        sorting: false,
        cellStyle: { minWidth: 260 },
        render: row => (
          <Box>
            <Typography variant="body2" className={classes.ruleTitle}>
              {row.title}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {row.finding.baselineRef} · {categoryTitle(row.finding.category)}
            </Typography>
          </Box>
        ),
      },
      {
        title: 'Resource',
        field: 'finding.resource.name',
        sorting: false,
        render: row => (
          <Box>
            <Typography variant="body2">{row.finding.resource.kind}</Typography>
            <Typography variant="caption" color="textSecondary">
              {row.finding.resource.namespace
                ? `${row.finding.resource.namespace}/`
                : ''}
              {row.finding.resource.name}
            </Typography>
          </Box>
        ),
      },
      ...(singleCluster
        ? []
        : [
            {
              title: 'Cluster',
              field: 'finding.cluster',
              sorting: false,
            } as TableColumn<FindingRow>,
          ]),
    ],
    [classes, singleCluster],
  );

  return (
    <Paper data-testid="aks-baseline-findings">
      <Box className={classes.header}>
        <Typography variant="h5" component="h2" className={classes.heading}>
          {title}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Every check that did not pass: failures, waived failures and checks
          that could not be made. Open a row for the evidence and the fix.
        </Typography>
      </Box>
      <Box
        className={classes.filters}
        role="group"
        aria-label="Filter findings"
      >
        <TextField
          id="aks-baseline-search"
          label="Search findings"
          placeholder="Rule, key, resource, message…"
          value={search}
          onChange={e => setSearch(e.target.value)}
          className={classes.search}
          size="small"
          variant="outlined"
          InputLabelProps={{ shrink: true }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          }}
          inputProps={{ 'data-testid': 'aks-baseline-search-input' }}
        />
        {selectFilters.map(({ filter, options }) => (
          <FilterSelect
            key={filter.key}
            id={`aks-baseline-filter-${filter.key}`}
            label={filter.label}
            allLabel={filter.allLabel}
            value={filters[filter.key]}
            onChange={set(filter.key)}
            options={options}
          />
        ))}
        <Button
          variant="text"
          color="primary"
          disabled={!active && !search}
          onClick={() => {
            setSearch('');
            setFilters(EMPTY_FILTERS);
          }}
        >
          Clear filters
        </Button>
      </Box>
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.summary}
        role="status"
        data-testid="aks-baseline-findings-count"
      >
        {matching === undefined
          ? `${all} finding${all === 1 ? '' : 's'}`
          : `Showing ${matching} of ${all} finding${all === 1 ? '' : 's'}`}
      </Typography>
      {error ? <ResponseErrorPanel error={error} /> : null}
      <Table<FindingRow>
        tableRef={tableRef}
        columns={columns}
        data={data}
        options={{
          search: false,
          toolbar: false,
          sorting: false,
          paging: true,
          pageSize: PAGE_SIZES[0],
          pageSizeOptions: PAGE_SIZES,
          showFirstLastPageButtons: false,
          emptyRowsWhenPaging: false,
          padding: 'dense',
          detailPanelType: 'multiple',
          draggable: false,
        }}
        localization={{
          body: {
            emptyDataSourceMessage: all
              ? 'No finding matches these filters.'
              : 'No findings: every check passed.',
          },
        }}
        onRowClick={(_event, _row, togglePanel) => togglePanel?.()}
        detailPanel={DETAIL_PANEL}
        components={{ Container: PlainContainer }}
      />
    </Paper>
  );
}

export { resourceLabel };
