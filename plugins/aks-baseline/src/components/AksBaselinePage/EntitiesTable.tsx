import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  EntityScoreSummary,
  OverviewResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import { EvaluatedAt } from '../shared/Evaluated';
import { failingText, Score } from './Score';

type EntityRow = EntityScoreSummary & { id: string };

const COLUMNS: TableColumn<EntityRow>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    highlight: true,
    render: row => <EntityRefLink entityRef={row.entityRef} />,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="group" />
      ) : (
        ''
      ),
  },
  {
    title: 'Score',
    field: 'score',
    render: row => <Score score={row.score} grade={row.grade} />,
  },
  { title: 'Failing checks', render: row => failingText(row.counts) },
  {
    title: 'Not checked',
    field: 'unknown',
    type: 'numeric',
    render: row => row.unknown ?? 0,
  },
  { title: 'Clusters', render: row => row.clusters.join(', ') },
  {
    title: 'Evaluated',
    field: 'evaluatedAt',
    render: row => (
      <Box>
        <EvaluatedAt at={row.evaluatedAt} prefix="" />
        {row.stale ? (
          <Chip
            size="small"
            variant="outlined"
            label="Stale"
            style={{ marginLeft: 8 }}
          />
        ) : null}
      </Box>
    ),
  },
];

/** The entities in scope, lowest score first. */
export function EntitiesTable(props: { overview: OverviewResponse }) {
  const { entities, entityTotal } = props.overview;
  const subtitle =
    entityTotal > entities.length
      ? `Showing ${entities.length} of ${entityTotal}`
      : `${entities.length} scored entit${entities.length === 1 ? 'y' : 'ies'}`;
  return (
    <Box data-testid="aks-baseline-entities">
      <Table
        title="Entities, lowest score first"
        subtitle={subtitle}
        columns={COLUMNS}
        data={entities.map(e => ({ ...e, id: e.entityRef }))}
        options={{
          search: true,
          paging: entities.length > 10,
          pageSize: 10,
          padding: 'dense',
          draggable: false,
        }}
      />
    </Box>
  );
}
