import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ClusterSummary } from '@aks-baseline/plugin-aks-baseline-common';
import { ScoreBadge } from '../shared/ScoreBadge';
import { CategoryBars } from '../shared/CategoryBars';
import { SeverityCounts } from '../shared/Chips';
import {
  EvaluatedAt,
  NeverEvaluatedNotice,
  StaleWarning,
} from '../shared/Evaluated';
import { UnknownChecks } from '../shared/UnknownChecks';
import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';

const useStyles = makeStyles(theme => ({
  root: {
    height: '100%',
    padding: theme.spacing(2.5),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  head: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  name: {
    fontWeight: 700,
    wordBreak: 'break-all',
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
    alignItems: 'center',
  },
}));

function BeingEvaluated() {
  return (
    <Box role="status" data-testid="aks-baseline-being-evaluated">
      <Typography variant="body2">
        Being evaluated; the results update when it ends.
      </Typography>
      <LinearProgress aria-hidden="true" />
    </Box>
  );
}

/**
 * One cluster on the overview: score, grade, failing checks, checks not
 * made, categories; or, never evaluated, why.
 */
export function ClusterTile(props: {
  cluster: ClusterSummary;
  /** The cluster's page in the catalog, when it has one. */
  link?: string;
  action?: ReactNode;
  /** An evaluation of it is going on: the tile updates when it ends. */
  evaluating?: boolean;
}) {
  const { cluster, link, action, evaluating } = props;
  const classes = useStyles();
  return (
    <Paper
      className={classes.root}
      component="section"
      aria-label={`Cluster ${cluster.name}`}
      data-testid={`aks-baseline-cluster-${cluster.name}`}
    >
      <Box className={classes.head}>
        <Box minWidth={0}>
          <Typography variant="h6" component="h3" className={classes.name}>
            {link ? (
              <Link
                to={link}
                title={`Open the page of cluster ${cluster.name}`}
              >
                {cluster.name}
              </Link>
            ) : (
              cluster.name
            )}
          </Typography>
          <Box className={classes.chips}>
            {cluster.profile ? (
              <Chip size="small" variant="outlined" label={cluster.profile} />
            ) : null}
            <Chip
              size="small"
              variant="outlined"
              label={`source: ${cluster.sourceKind}`}
            />
            <EvaluatedAt at={cluster.evaluatedAt} />
          </Box>
        </Box>
        {action}
      </Box>
      {evaluating ? <BeingEvaluated /> : null}
      {cluster.status === 'never-evaluated' ? (
        <NeverEvaluatedNotice
          lastError={cluster.lastError}
          lastAttemptAt={cluster.lastAttemptAt}
        />
      ) : (
        <>
          <StaleWarning
            stale={cluster.stale}
            reason={cluster.staleReason ?? cluster.lastError}
            evaluatedAt={cluster.evaluatedAt}
          />
          <ScoreBadge score={cluster.score} grade={cluster.grade} />
          <SeverityCounts counts={cluster.counts.failing} />
          <UnknownChecks
            unknown={cluster.totals.unknown}
            kinds={cluster.unreadableKinds}
          />
          <CategoryBars categories={cluster.categories} dense />
        </>
      )}
    </Paper>
  );
}
