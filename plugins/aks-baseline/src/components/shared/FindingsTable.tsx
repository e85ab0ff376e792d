import {
  ChangeEvent,
  CSSProperties,
  ReactNode,
  useMemo,
  useState,
} from 'react';
import Paper from '@material-ui/core/Paper';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import { Table, TableColumn } from '@backstage/core-components';
import {
  CATEGORIES,
  FINDING_STATUSES,
  Finding,
  RuleInfo,
  SEVERITIES,
  compareSeverity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { SeverityChip, StatusChip } from './Chips';
import { FindingDetails } from './FindingDetails';
import { compareFindings } from './findings';
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
  clickable: {
    cursor: 'pointer',
  },
}));

export function toRows(
  findings: readonly Finding[],
  rules: ReadonlyMap<string, RuleInfo>,
): FindingRow[] {
  return [...findings].sort(compareFindings).map((finding, i) => {
    const rule = rules.get(finding.ruleId);
    return {
      id: `${finding.cluster ?? ''}/${finding.ruleId}/${
        finding.resource.kind
      }/${finding.resource.namespace ?? ''}/${finding.resource.name}/${i}`,
      finding,
      rule,
      title: rule?.title ?? finding.ruleId,
      namespace: finding.resource.namespace ?? NO_NAMESPACE,
    };
  });
}

export function filterRows(
  rows: readonly FindingRow[],
  filters: FindingFilters,
): FindingRow[] {
  const needle = filters.search.trim().toLocaleLowerCase('en-US');
  return rows.filter(({ finding, title, namespace }) => {
    if (filters.severity && finding.severity !== filters.severity) return false;
    if (filters.category && finding.category !== filters.category) return false;
    if (filters.cluster && (finding.cluster ?? '') !== filters.cluster)
      return false;
    if (filters.namespace && namespace !== filters.namespace) return false;
    if (filters.status && finding.status !== filters.status) return false;
    if (!needle) return true;
    const haystack = [
      title,
      finding.ruleId,
      finding.baselineRef,
      finding.message,
      finding.resource.kind,
      finding.resource.name,
      finding.resource.namespace ?? '',
      finding.cluster ?? '',
    ]
      .join('\n')
      .toLocaleLowerCase('en-US');
    return haystack.includes(needle);
  });
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

function count<T>(items: readonly T[], key: (t: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** A select filter: the row field it keys on, and how its values are listed. */
interface SelectFilter {
  key: Exclude<keyof FindingFilters, 'search'>;
  label: string;
  allLabel: string;
  valueOf(row: FindingRow): string;
  /** Values in display order; else the values present, sorted. */
  order?: readonly string[];
  /** The option's label; else the value itself. */
  title?(value: string): string;
}

/** The select filters, in display order. */
const SELECT_FILTERS: readonly SelectFilter[] = [
  {
    key: 'severity',
    label: 'Severity',
    allLabel: 'All severities',
    valueOf: r => r.finding.severity,
    order: SEVERITIES,
    title: v => SEVERITY_TITLES[v as keyof typeof SEVERITY_TITLES],
  },
  {
    key: 'category',
    label: 'Category',
    allLabel: 'All categories',
    valueOf: r => r.finding.category,
    order: CATEGORIES,
    title: categoryTitle,
  },
  {
    key: 'cluster',
    label: 'Cluster',
    allLabel: 'All clusters',
    valueOf: r => r.finding.cluster ?? '',
    title: v => v || '(none)',
  },
  {
    key: 'namespace',
    label: 'Namespace',
    allLabel: 'All namespaces',
    valueOf: r => r.namespace,
  },
  {
    key: 'status',
    label: 'Status',
    allLabel: 'All statuses',
    valueOf: r => r.finding.status,
    order: FINDING_STATUSES,
    title: v => STATUS_TITLES[v as keyof typeof STATUS_TITLES],
  },
];

/** A filter's options over the rows, with how many rows each matches. */
function optionsOf(filter: SelectFilter, rows: readonly FindingRow[]) {
  const counts = count(rows, filter.valueOf);
  const values = filter.order
    ? filter.order.filter(v => counts.has(v))
    : [...counts.keys()].sort();
  return values.map(value => ({
    value,
    label: filter.title ? filter.title(value) : value,
    count: counts.get(value),
  }));
}

function FilterSelect(props: {
  id: string;
  label: string;
  allLabel: string;
  value: string;
  options: { value: string; label: string; count?: number }[];
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
 * Every finding in a table: filter by severity, category, cluster,
 * namespace and status, search text; a row opens its evidence, rationale,
 * fix, waiver and baseline key.
 */
export function FindingsTable(props: {
  findings: readonly Finding[];
  rules: ReadonlyMap<string, RuleInfo>;
  title?: string;
  /** Hide the cluster filter and column (single-cluster views). */
  singleCluster?: boolean;
  initialFilters?: Partial<FindingFilters>;
}) {
  const { findings, rules, title = 'Findings', singleCluster } = props;
  const classes = useStyles();
  const [filters, setFilters] = useState<FindingFilters>({
    ...EMPTY_FILTERS,
    ...props.initialFilters,
  });
  const set = (key: keyof FindingFilters) => (value: string) =>
    setFilters(f => ({ ...f, [key]: value }));

  const rows = useMemo(() => toRows(findings, rules), [findings, rules]);
  const visible = useMemo(() => filterRows(rows, filters), [rows, filters]);

  const selectFilters = useMemo(
    () =>
      SELECT_FILTERS.filter(f => !(singleCluster && f.key === 'cluster')).map(
        filter => ({ filter, options: optionsOf(filter, rows) }),
      ),
    [rows, singleCluster],
  );
  const active = Object.values(filters).some(Boolean);

  const columns: TableColumn<FindingRow>[] = useMemo(
    () => [
      {
        title: 'Severity',
        field: 'finding.severity',
        width: '110px',
        render: row => <SeverityChip severity={row.finding.severity} />,
        customSort: (a, b) =>
          compareSeverity(a.finding.severity, b.finding.severity),
      },
      {
        title: 'Status',
        field: 'finding.status',
        width: '140px',
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
          value={filters.search}
          onChange={e => set('search')(e.target.value)}
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
          disabled={!active}
          onClick={() => setFilters(EMPTY_FILTERS)}
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
        Showing {visible.length} of {rows.length} finding
        {rows.length === 1 ? '' : 's'}
      </Typography>
      <Table<FindingRow>
        columns={columns}
        data={visible}
        options={{
          search: false,
          toolbar: false,
          paging: visible.length > 20,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          padding: 'dense',
          detailPanelType: 'multiple',
          draggable: false,
        }}
        onRowClick={(_event, _row, togglePanel) => togglePanel?.()}
        detailPanel={DETAIL_PANEL}
        components={{ Container: PlainContainer }}
        emptyContent={
          <Box
            p={4}
            textAlign="center"
            data-testid="aks-baseline-findings-empty"
          >
            <Typography variant="body1">
              {rows.length
                ? 'No finding matches these filters.'
                : 'No findings: every check passed.'}
            </Typography>
          </Box>
        }
      />
    </Paper>
  );
}

export { resourceLabel };
