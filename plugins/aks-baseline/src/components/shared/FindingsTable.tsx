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
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { makeStyles, Theme } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import { Table } from '@backstage/core-components';
import {
  FINDING_STATUSES,
  Finding,
  FindingFacets,
  FindingStatus,
  FindingsPage,
  FindingsQuery,
  RuleInfo,
} from '@aks-baseline/plugin-aks-baseline-common';
import { FindingDetails } from './FindingDetails';
import { ServiceError } from './ServiceError';
import {
  EMPTY_FILTERS,
  FilterOption,
  FindingFilters,
  findingsQuery,
  NO_NAMESPACE,
  SELECT_FILTERS,
  useShowPassed,
  useUrlFindingFilters,
  withCurrent,
} from './findingFilters';
import { PassedChecks, PassedChecksOf } from './PassedChecks';
import { findingColumns, FindingRow } from './findingColumns';

export type { FindingRow } from './findingColumns';

const PAGE_SIZES = [20, 50, 100];
const NO_OPTIONS: FilterOption[] = [];

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
    maxWidth: '100%',
  },
  search: {
    flex: '1 1 220px',
    minWidth: 220,
  },
  summary: {
    padding: theme.spacing(0, 2, 1, 2),
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

/** Each row names its own toggle (see findingColumns), so the table's is hidden. */
const DETAIL_PANEL = [
  {
    render: ({ rowData }: { rowData: FindingRow }) => (
      <FindingDetails finding={rowData.finding} rule={rowData.rule} />
    ),
  },
];

function FilterSelect(props: {
  id: string;
  label: string;
  allLabel: string;
  value: string;
  options: FilterOption[];
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
  /** The rule filter's choices (rules without a facet count of their own). */
  ruleOptions?: FilterOption[];
  /** Whose passed checks a toggle lists beside the findings. */
  passedOf?: PassedChecksOf;
}) {
  const { load, facets, rules, title = 'Findings', singleCluster } = props;
  const statuses = props.statuses ?? FINDING_STATUSES;
  const ruleOptions = props.ruleOptions ?? NO_OPTIONS;
  const classes = useStyles();
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));
  const [filters, setFilters] = useUrlFindingFilters();
  const [showPassed, setShowPassed] = useShowPassed();
  // Typing searches once it pauses, not on every key.
  const [search, setSearch] = useState(filters.search);
  useDebounce(
    () => {
      if (filters.search !== search) setFilters({ search });
    },
    300,
    [search],
  );
  const set = (key: keyof FindingFilters) => (value: string) =>
    setFilters({ [key]: value });

  // The rules only matter to a framework filter (its rule ids).
  const frameworkRules = filters.framework ? rules : undefined;
  const query = useMemo(
    () => findingsQuery(filters, statuses, frameworkRules),
    // statuses is a constant list per use.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filters, frameworkRules],
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
        filter => ({
          filter,
          options: filter.options(facets, statuses, ruleOptions),
        }),
      ),
    // statuses is a constant list per use.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [facets, singleCluster, ruleOptions],
  );
  const all = statuses.reduce((n, s) => n + (facets.status[s] ?? 0), 0);
  const active = Object.values(filters).some(Boolean);

  const columns = useMemo(
    () => findingColumns({ narrow, singleCluster }),
    [narrow, singleCluster],
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
        {selectFilters.map(({ filter, options }) =>
          // No rule to offer and none chosen: no rule filter.
          filter.key === 'rule' && !options.length && !filters.rule ? null : (
            <FilterSelect
              key={filter.key}
              id={`aks-baseline-filter-${filter.key}`}
              label={filter.label}
              allLabel={filter.allLabel}
              value={filters[filter.key]}
              onChange={set(filter.key)}
              options={withCurrent(options, filters[filter.key])}
            />
          ),
        )}
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
        {props.passedOf ? (
          <FormControlLabel
            control={
              <Switch
                checked={showPassed}
                onChange={(_e, checked) => setShowPassed(checked)}
                color="primary"
              />
            }
            label="Show passed checks"
          />
        ) : null}
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
      {error ? (
        <ServiceError
          error={error}
          what="the findings"
          retry={() => tableRef.current?.onQueryChange()}
        />
      ) : null}
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
          detailPanelColumnStyle: { display: 'none' },
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
      {props.passedOf && showPassed ? (
        <PassedChecks of={props.passedOf} singleCluster={singleCluster} />
      ) : null}
    </Paper>
  );
}
