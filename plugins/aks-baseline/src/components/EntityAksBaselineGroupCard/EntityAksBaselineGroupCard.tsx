import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EmptyState,
  InfoCard,
  InfoCardVariants,
  Progress,
} from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
  parseEntityRef,
} from '@backstage/catalog-model';
import { EntityScoreSummary } from '@aks-baseline/plugin-aks-baseline-common';
import { useEntityLink } from '../../hooks';
import { ScoreBadge, GradeLetter } from '../shared/ScoreBadge';
import { SeverityCounts } from '../shared/Chips';
import { Sparkline } from '../shared/Sparkline';
import { StaleWarning } from '../shared/Evaluated';
import { ScoringHelp } from '../shared/ScoringHelp';
import { ServiceError } from '../shared/ServiceError';
import { TeamExportLinks } from '../shared/AuditExportLinks';
import { RollupData, useRollup } from './useRollup';

/** Entities listed on the card; the rest are counted. */
const LISTED = 10;

const useStyles = makeStyles(theme => ({
  row: {
    display: 'grid',
    gridTemplateColumns: '2.5em 3em 1fr',
    alignItems: 'center',
    columnGap: theme.spacing(1),
    paddingLeft: 0,
    paddingRight: 0,
  },
  score: { fontWeight: 600, textAlign: 'right' },
  note: { color: theme.palette.text.primary, marginTop: theme.spacing(1) },
}));

function EntityRow(props: { entity: EntityScoreSummary }) {
  const { entity } = props;
  const classes = useStyles();
  const link = useEntityLink();
  const ref = parseEntityRef(entity.entityRef);
  return (
    <ListItem className={classes.row} divider>
      <GradeLetter grade={entity.grade} size="small" />
      <Typography variant="body2" className={classes.score}>
        {entity.score ?? '–'}
      </Typography>
      <Box minWidth={0}>
        {link ? (
          <EntityRefLink entityRef={entity.entityRef} />
        ) : (
          <Typography variant="body2">{ref.name}</Typography>
        )}
      </Box>
    </ListItem>
  );
}

function Rollup(props: {
  data: RollupData;
  isGroup: boolean;
  /** The team, for its audit export (a system has none). */
  team?: CompoundEntityRef;
}) {
  const { rollup, trend, partsLeftOut, clusters } = props.data;
  const { isGroup } = props;
  const classes = useStyles();
  const whose = isGroup ? "team's" : "system's";
  if (rollup.entities.length === 0) {
    return (
      <Typography variant="body2" data-testid="aks-baseline-group-empty">
        No scored entity {isGroup ? 'of this team' : 'in this system'} that you
        may see: the score counts entities with the Kubernetes annotations once
        an evaluation has found their objects.
      </Typography>
    );
  }
  return (
    <Box data-testid="aks-baseline-group-body">
      <StaleWarning stale={rollup.stale} />
      <ScoreBadge
        score={rollup.score}
        grade={rollup.grade}
        caption={`${rollup.entityTotal} entit${
          rollup.entityTotal === 1 ? 'y' : 'ies'
        }`}
      />
      <Typography variant="caption" component="p" className={classes.note}>
        The {whose} score adds up the checks of all its entities, weighted by
        severity; it is not the mean of their scores.
      </Typography>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3" gutterBottom>
          Failing checks
        </Typography>
        <SeverityCounts counts={rollup.counts.failing} />
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3" gutterBottom>
          Entities, lowest score first
        </Typography>
        <List
          dense
          disablePadding
          aria-label="Entities, lowest score first"
          data-testid="aks-baseline-group-entities"
        >
          {rollup.entities.slice(0, LISTED).map(e => (
            <EntityRow key={e.entityRef} entity={e} />
          ))}
        </List>
        {rollup.entityTotal > LISTED || partsLeftOut ? (
          <Typography variant="caption" component="p" className={classes.note}>
            {rollup.entityTotal > LISTED
              ? `and ${rollup.entityTotal - LISTED} more. `
              : ''}
            {partsLeftOut
              ? `${partsLeftOut} parts beyond the first 100 are not counted.`
              : ''}
          </Typography>
        ) : null}
      </Box>
      {clusters && clusters.entities.length > 0 ? (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Clusters in this system
          </Typography>
          <List
            dense
            disablePadding
            aria-label="Clusters in this system"
            data-testid="aks-baseline-group-clusters"
          >
            {clusters.entities.map(e => (
              <EntityRow key={e.entityRef} entity={e} />
            ))}
          </List>
          <Typography variant="caption" component="p" className={classes.note}>
            Each cluster has its own score, not added to the system's: it covers
            every workload on the cluster, this system's included, which would
            be counted twice.
          </Typography>
        </Box>
      ) : null}
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3" gutterBottom>
          Trend of the lowest-scored entities
        </Typography>
        <Sparkline items={trend} width={240} height={48} />
      </Box>
      <ScoringHelp />
      {props.team ? <TeamExportLinks group={props.team} /> : null}
    </Box>
  );
}

/** @public */
export interface EntityAksBaselineGroupCardProps {
  title?: string;
  variant?: InfoCardVariants;
}

/**
 * The AKS Baseline card for a `Group` (the entities it owns) or a `System`
 * (its parts): their score taken together, the entities lowest score first
 * (linked), and the trend of the lowest-scored ones.
 *
 * @public
 */
export function EntityAksBaselineGroupCard(
  props: EntityAksBaselineGroupCardProps,
) {
  const { title = 'AKS Baseline', variant } = props;
  const { entity } = useEntity();
  const isGroup = entity.kind.toLocaleLowerCase('en-US') === 'group';
  const state = useRollup(entity);

  let body;
  if (state.loading) body = <Progress />;
  else if (state.error) {
    body = (
      <ServiceError
        error={state.error}
        retry={state.retry}
        what={isGroup ? "the team's score" : "the system's score"}
      />
    );
  } else if (!state.value) {
    body = (
      <EmptyState
        missing="info"
        title="No parts"
        description="This system has no components or resources in the catalog yet."
      />
    );
  } else {
    body = (
      <Rollup
        data={state.value}
        isGroup={isGroup}
        team={isGroup ? getCompoundEntityRef(entity) : undefined}
      />
    );
  }
  return (
    <InfoCard
      title={title}
      titleTypographyProps={{ component: 'h2' }}
      className="aks-baseline-group-card"
      subheader={isGroup ? 'Team score' : 'System score'}
      variant={variant}
    >
      <div data-testid="aks-baseline-group-card">{body}</div>
    </InfoCard>
  );
}
