import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import { TableColumn } from '@backstage/core-components';
import { Finding, RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import { SeverityChip, StatusChip } from './Chips';
import { categoryTitle } from './format';

/** A finding as a table row. */
export interface FindingRow {
  id: string;
  finding: Finding;
  rule?: RuleInfo;
  title: string;
  namespace: string;
  /** Set by the table: whether the row's details are open. */
  tableData?: { showDetailPanel?: unknown };
}

/** "PS-02 on payments-worker": which finding a row is, in words. */
export function findingName(finding: Finding): string {
  return `${finding.baselineRef} on ${finding.resource.name}`;
}

/**
 * The row's own toggle, named after its finding ("Show evidence for PS-02
 * on payments-worker"); the click reaches the row, which opens the details.
 */
function DetailsToggle(props: { row: FindingRow }) {
  const open = !!props.row.tableData?.showDetailPanel;
  const name = `${open ? 'Hide' : 'Show'} evidence for ${findingName(
    props.row.finding,
  )}`;
  return (
    <IconButton
      size="small"
      aria-label={name}
      aria-expanded={open}
      title={name}
      style={{
        transform: open ? 'rotate(90deg)' : undefined,
        transition: 'transform 200ms',
      }}
    >
      <ChevronRightIcon fontSize="small" />
    </IconButton>
  );
}

/** Read by screen readers, not shown. */
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

const TOGGLE: TableColumn<FindingRow> = {
  title: <span style={VISUALLY_HIDDEN}>Details</span>,
  width: '40px',
  sorting: false,
  cellStyle: { paddingRight: 0 },
  render: row => <DetailsToggle row={row} />,
};

function RuleCell(props: { row: FindingRow; chips?: boolean }) {
  const { row, chips } = props;
  return (
    <Box>
      <Typography variant="body2" style={{ fontWeight: 600 }}>
        {row.title}
      </Typography>
      {/* Primary text: secondary grey misses 4.5:1 on an opened (grey) row. */}
      <Typography variant="caption" color="textPrimary">
        {row.finding.baselineRef} · {categoryTitle(row.finding.category)}
      </Typography>
      {chips ? (
        <Box display="flex" flexWrap="wrap" mt={0.5} style={{ gap: 6 }}>
          <SeverityChip severity={row.finding.severity} />
          <StatusChip
            status={row.finding.status}
            expired={row.finding.waiver?.expired}
          />
        </Box>
      ) : null}
    </Box>
  );
}

const RESOURCE: TableColumn<FindingRow> = {
  title: 'Resource',
  field: 'finding.resource.name',
  sorting: false,
  render: row => (
    <Box>
      <Typography variant="body2">{row.finding.resource.kind}</Typography>
      <Typography
        variant="caption"
        color="textPrimary"
        style={{ wordBreak: 'break-word' }}
      >
        {row.finding.resource.namespace
          ? `${row.finding.resource.namespace}/`
          : ''}
        {row.finding.resource.name}
      </Typography>
    </Box>
  ),
};

/**
 * The findings table's columns. On a narrow screen the rule comes first,
 * with its severity and status under it, so that nothing pushes it off.
 */
export function findingColumns(options: {
  narrow: boolean;
  singleCluster?: boolean;
}): TableColumn<FindingRow>[] {
  if (options.narrow) {
    return [
      TOGGLE,
      {
        title: 'Rule',
        field: 'title',
        highlight: true,
        sorting: false,
        render: row => <RuleCell row={row} chips />,
      },
      RESOURCE,
    ];
  }
  return [
    TOGGLE,
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
      render: row => <RuleCell row={row} />,
    },
    RESOURCE,
    ...(options.singleCluster
      ? []
      : [
          {
            title: 'Cluster',
            field: 'finding.cluster',
            sorting: false,
          } as TableColumn<FindingRow>,
        ]),
  ];
}
