import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  OverviewResponse,
  OwnerScore,
} from '@aks-baseline/plugin-aks-baseline-common';
import { shortRef } from '../shared/format';
import { failingText, Score } from './Score';
import { SMALL_TABLE } from '../shared/tableOptions';

type OwnerRow = OwnerScore & { rank: number; id: string };

const COLUMNS: TableColumn<OwnerRow>[] = [
  {
    title: 'Team',
    field: 'owner',
    highlight: true,
    render: row => (
      <Box display="flex" style={{ gap: 12 }}>
        <Typography variant="body2" color="textSecondary">
          {row.rank}.
        </Typography>
        <Box minWidth={0}>
          <EntityRefLink entityRef={row.owner} defaultKind="group" />
          <Typography variant="caption" color="textSecondary" component="div">
            {row.entities} entit{row.entities === 1 ? 'y' : 'ies'} · failing:{' '}
            {failingText(row.counts)}
            {row.totals.unknown ? ` · ${row.totals.unknown} not checked` : ''}
            {row.stale ? ' · stale' : ''}
          </Typography>
        </Box>
      </Box>
    ),
  },
  {
    title: 'Score',
    field: 'score',
    width: '96px',
    render: row => <Score score={row.score} grade={row.grade} />,
  },
];

/** Teams ranked by score, best first. */
export function OwnersTable(props: {
  overview: OverviewResponse;
  owner: string;
}) {
  const { overview, owner } = props;
  const subtitle = [
    owner ? `Filtered to ${shortRef(owner)}` : 'Best first',
    overview.ownerTotal > overview.owners.length
      ? `showing ${overview.owners.length} of ${overview.ownerTotal}`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <Box data-testid="aks-baseline-owners">
      <Table
        title="Teams by score"
        subtitle={subtitle}
        columns={COLUMNS}
        data={overview.owners.map((o, i) => ({
          ...o,
          rank: i + 1,
          id: o.owner,
        }))}
        options={SMALL_TABLE}
        emptyContent={
          <Box p={3}>
            <Typography variant="body2">
              No team has a scored entity yet.
            </Typography>
          </Box>
        }
      />
      <Typography variant="caption" color="textSecondary" component="p">
        A team's score adds up the checks of all its services, weighted by
        severity; it is not the mean of their scores.
      </Typography>
    </Box>
  );
}
