import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import {
  EntityClusterScore,
  SEVERITIES,
} from '@aks-baseline/plugin-aks-baseline-common';
import { GradeLetter } from './ScoreBadge';
import { EvaluatedAt } from './Evaluated';
import { SEVERITY_TITLES } from './format';
import { SMALL_TABLE } from './tableOptions';

type Row = EntityClusterScore & { id: string };

/** The entity's score on each cluster it runs on. */
export function ClusterBreakdown(props: { clusters: EntityClusterScore[] }) {
  const rows: Row[] = props.clusters.map(c => ({ ...c, id: c.cluster }));
  const columns: TableColumn<Row>[] = [
    {
      title: 'Cluster',
      field: 'cluster',
      highlight: true,
    },
    {
      title: 'Score',
      field: 'score',
      render: row => (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <GradeLetter grade={row.grade} />
          <Typography variant="body1" style={{ fontWeight: 600 }}>
            {row.score ?? '–'}
          </Typography>
        </Box>
      ),
    },
    {
      title: 'Failing checks',
      render: row => (
        <Typography variant="body2">
          {SEVERITIES.map(
            s =>
              `${row.counts.failing[s]} ${SEVERITY_TITLES[s].toLocaleLowerCase(
                'en-US',
              )}`,
          ).join(' · ')}
        </Typography>
      ),
    },
    {
      title: 'Waived',
      field: 'counts.waived',
      type: 'numeric',
    },
    {
      title: 'Not checked',
      field: 'totals.unknown',
      type: 'numeric',
      render: row => (
        <Box>
          <Typography variant="body2">{row.totals.unknown}</Typography>
          {row.unreadableKinds?.length ? (
            <Tooltip
              title={row.unreadableKinds
                .map(k => `${k.kind} could not be listed (${k.reason})`)
                .join('; ')}
            >
              <Typography variant="caption" color="textSecondary">
                {row.unreadableKinds.map(k => k.kind).join(', ')} unreadable
              </Typography>
            </Tooltip>
          ) : null}
        </Box>
      ),
    },
    {
      title: 'Objects',
      render: row => row.resources.length,
      type: 'numeric',
    },
    {
      title: 'Evaluated',
      field: 'evaluatedAt',
      render: row => (
        <Box>
          <EvaluatedAt at={row.evaluatedAt} prefix="" />
          {row.stale ? (
            <Box mt={0.5}>
              <Tooltip title={row.staleReason ?? 'The last evaluation failed'}>
                <Chip size="small" label="Stale" variant="outlined" />
              </Tooltip>
            </Box>
          ) : null}
        </Box>
      ),
    },
  ];
  return (
    <Box data-testid="aks-baseline-cluster-breakdown">
      <Table<Row>
        title="By cluster"
        subtitle="The entity's workloads on each cluster they run on"
        columns={columns}
        data={rows}
        options={SMALL_TABLE}
      />
    </Box>
  );
}
