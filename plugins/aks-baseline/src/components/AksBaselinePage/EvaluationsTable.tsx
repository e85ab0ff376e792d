import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  EvaluationRun,
  EvaluationRunsResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import { EvaluatedAt } from '../shared/Evaluated';
import { Score } from './Score';
import { SMALL_TABLE } from '../shared/tableOptions';

function formatDuration(ms?: number): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function RunResult(props: { run: EvaluationRun }) {
  const { run } = props;
  if (run.status === 'failed') {
    return (
      <Typography variant="body2" color="error">
        {run.error ?? 'failed'}
      </Typography>
    );
  }
  if (run.score === undefined) return null;
  return <Score score={run.score ?? null} grade={run.grade ?? null} />;
}

const COLUMNS: TableColumn<EvaluationRun>[] = [
  { title: 'Cluster', field: 'cluster', highlight: true },
  {
    title: 'Status',
    field: 'status',
    render: row => (
      <Chip
        size="small"
        label={row.status}
        variant={row.status === 'failed' ? 'default' : 'outlined'}
        color={row.status === 'failed' ? 'secondary' : 'default'}
      />
    ),
  },
  { title: 'Trigger', field: 'trigger' },
  {
    title: 'Started',
    field: 'startedAt',
    render: row => <EvaluatedAt at={row.startedAt} prefix="" />,
  },
  {
    title: 'Duration',
    field: 'durationMs',
    render: row => formatDuration(row.durationMs),
  },
  { title: 'Result', render: row => <RunResult run={row} /> },
];

/** The recent evaluation runs, newest first. */
export function EvaluationsTable(props: {
  runs: { loading: boolean; error?: Error; value?: EvaluationRunsResponse };
  /** A cluster is being evaluated: the table follows it. */
  evaluating: boolean;
}) {
  const { runs, evaluating } = props;
  return (
    <Box data-testid="aks-baseline-evaluations">
      {runs.error ? (
        <ResponseErrorPanel
          error={runs.error}
          title="Could not load the evaluation runs"
        />
      ) : (
        <Table
          title="Recent evaluations"
          subtitle={
            evaluating
              ? 'An evaluation is running; this list updates when it ends.'
              : undefined
          }
          columns={COLUMNS}
          data={runs.value?.items ?? []}
          isLoading={runs.loading && !runs.value}
          options={SMALL_TABLE}
          emptyContent={
            <Box p={3}>
              <Typography variant="body2">
                No evaluation has run yet.
              </Typography>
            </Box>
          }
        />
      )}
    </Box>
  );
}
