import { useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import MuiLink from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import {
  OverviewResponse,
  RuleFailureCount,
} from '@aks-baseline/plugin-aks-baseline-common';
import { SeverityChip } from '../shared/Chips';
import { categoryTitle, shortRef } from '../shared/format';
import { SMALL_TABLE } from '../shared/tableOptions';
import { RuleEntitiesDialog } from './RuleEntitiesDialog';

type RuleRow = RuleFailureCount & { id: string };

/** The rule column; its title opens the entities that fail it. */
const ruleColumn = (open: (row: RuleRow) => void): TableColumn<RuleRow> => ({
  title: 'Rule',
  field: 'title',
  highlight: true,
  render: row => (
    <Box>
      <MuiLink
        component="button"
        variant="body2"
        style={{ fontWeight: 600, textAlign: 'left' }}
        onClick={() => open(row)}
        aria-haspopup="dialog"
        aria-label={`${row.title}: show the entities that fail ${row.baselineRef}`}
      >
        {row.title}
      </MuiLink>
      <Box display="flex" alignItems="center" mt={0.5} style={{ gap: 8 }}>
        <SeverityChip severity={row.severity} />
        <Typography variant="caption" color="textSecondary">
          {row.baselineRef} · {categoryTitle(row.category)}
        </Typography>
      </Box>
    </Box>
  ),
});

const numeric = (
  title: string,
  field: keyof RuleRow,
): TableColumn<RuleRow> => ({
  title,
  field,
  type: 'numeric',
  width: '80px',
});

/** The rules failed most, over the clusters shown or the owner's entities. */
export function FailingRulesTable(props: {
  overview: OverviewResponse;
  owner: string;
}) {
  const { overview, owner } = props;
  const [opened, setOpened] = useState<RuleRow | undefined>();
  const withClusters = overview.topFailingRules.some(
    r => r.clusters !== undefined,
  );
  const columns = useMemo(
    () => [
      ruleColumn(setOpened),
      numeric('Failures', 'failures'),
      numeric('Entities', 'entities'),
      ...(withClusters ? [numeric('Clusters', 'clusters')] : []),
    ],
    [withClusters],
  );
  const across = owner
    ? `Across ${shortRef(owner)}'s entities`
    : `Across the ${
        overview.clusters.length ? 'clusters' : 'entities'
      } shown here`;
  return (
    <Box data-testid="aks-baseline-top-failing-rules">
      <Table
        title="Rules failed most"
        subtitle={across}
        columns={columns}
        data={overview.topFailingRules.map(r => ({ ...r, id: r.ruleId }))}
        options={SMALL_TABLE}
        emptyContent={
          <Box p={3}>
            <Typography variant="body2">No rule is failing. 🎉</Typography>
          </Box>
        }
      />
      {opened ? (
        <RuleEntitiesDialog
          rule={opened}
          owner={owner}
          onClose={() => setOpened(undefined)}
        />
      ) : null}
    </Box>
  );
}
