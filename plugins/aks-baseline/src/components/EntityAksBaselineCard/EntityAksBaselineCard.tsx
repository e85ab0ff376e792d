import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EntityScoreResponse,
  ScoreHistoryPoint,
} from '@aks-baseline/plugin-aks-baseline-common';
import { isAksBaselineAvailable } from '../../conditions';
import { RuleIndex, useEntityBaseline, useEntityLink } from '../../hooks';
import { ScoreBadge } from '../shared/ScoreBadge';
import { CategoryBars } from '../shared/CategoryBars';
import { SeverityCounts } from '../shared/Chips';
import { Sparkline } from '../shared/Sparkline';
import { EvaluatedAt, StaleWarning } from '../shared/Evaluated';
import { NotEvaluated } from '../shared/NotEvaluated';
import { MissingAnnotations } from '../shared/MissingAnnotations';
import { ScoringHelp } from '../shared/ScoringHelp';
import { ServiceError } from '../shared/ServiceError';
import { entityUnreadableKinds, UnknownChecks } from '../shared/UnknownChecks';
import { TopFailingRules } from './TopFailingRules';

/** @public */
export interface EntityAksBaselineCardProps {
  /** Card title; default "AKS Baseline". */
  title?: string;
  /** Path of the findings tab under the entity page; default `aks-baseline`. */
  tabPath?: string;
  /** How many failing rules to list; default 5. */
  maxRules?: number;
  /** Runs in the trend line; default 30. */
  historyLimit?: number;
  variant?: InfoCardVariants;
}

const useStyles = makeStyles(theme => ({
  section: {
    marginTop: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  meta: {
    marginTop: theme.spacing(1),
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 1.5),
  },
}));

function ScoreView(props: {
  score: EntityScoreResponse;
  history: ScoreHistoryPoint[];
  rules: RuleIndex;
  maxRules: number;
  findingsLink?: (ruleId: string) => string;
}) {
  const { score, history, rules, maxRules, findingsLink } = props;
  const classes = useStyles();
  const { counts } = score;
  const clusterCount = score.clusters.length;
  return (
    <Box data-testid="aks-baseline-card-body">
      <StaleWarning
        stale={score.stale}
        reason={score.staleReason}
        evaluatedAt={score.evaluatedAt}
      />
      <Grid container spacing={2} alignItems="center">
        <Grid item xs={12} sm={6}>
          <ScoreBadge score={score.score} grade={score.grade} />
          <Box className={classes.meta}>
            <EvaluatedAt at={score.evaluatedAt} />
            <Typography variant="body2" color="textSecondary" component="span">
              {score.resourceCount} object{score.resourceCount === 1 ? '' : 's'}{' '}
              on {clusterCount} cluster{clusterCount === 1 ? '' : 's'}
            </Typography>
          </Box>
        </Grid>
        <Grid item xs={12} sm={6}>
          <Sparkline items={history} />
        </Grid>
      </Grid>

      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.section}
      >
        Failing checks
      </Typography>
      <SeverityCounts counts={counts.failing} />
      {counts.waived ? (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          style={{ marginTop: 8 }}
        >
          {counts.waived} waived
        </Typography>
      ) : null}
      <UnknownChecks
        unknown={score.totals.unknown}
        kinds={entityUnreadableKinds(score)}
      />

      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.section}
      >
        By category
      </Typography>
      <CategoryBars categories={score.categories} overall={score.score} dense />

      <Divider style={{ marginTop: 16 }} />
      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.section}
      >
        Top failing rules
      </Typography>
      <TopFailingRules
        score={score}
        rules={rules}
        max={maxRules}
        findingsLink={findingsLink}
      />
    </Box>
  );
}

function CardContent(
  props: EntityAksBaselineCardProps & {
    findingsLink?: (ruleId: string) => string;
  },
) {
  const { entity } = useEntity();
  const { historyLimit, maxRules = 5, findingsLink } = props;
  const { loading, error, value, retry } = useEntityBaseline(entity, {
    historyLimit,
  });
  if (loading) return <Progress />;
  if (error) {
    return <ServiceError error={error} retry={retry} what="the score" />;
  }
  if (!value) return null;
  if (!value.result.evaluated) {
    return (
      <NotEvaluated
        entity={entity}
        reason={value.result.reason}
        clusters={value.result.clusters}
      />
    );
  }
  return (
    <ScoreView
      score={value.result.score}
      history={value.history}
      rules={value.rules}
      maxRules={maxRules}
      findingsLink={findingsLink}
    />
  );
}

/**
 * The AKS Baseline card for an entity's overview page.
 *
 * @public
 */
export function EntityAksBaselineCard(props: EntityAksBaselineCardProps) {
  const { entity } = useEntity();
  const { title = 'AKS Baseline', tabPath = 'aks-baseline', variant } = props;
  const entityLink = useEntityLink();
  const available = isAksBaselineAvailable(entity);
  const ref = getCompoundEntityRef(entity);
  const link = available ? entityLink?.(ref, { tab: tabPath }) : undefined;
  const findingsLink = entityLink
    ? (ruleId: string) =>
        entityLink(ref, { tab: tabPath, query: { rule: ruleId } })
    : undefined;
  return (
    <InfoCard
      title={title}
      titleTypographyProps={{ component: 'h2' }}
      className="aks-baseline-entity-card"
      subheader="How its Kubernetes workloads measure up to the AKS baseline"
      variant={variant}
      deepLink={link ? { title: 'View all findings', link } : undefined}
    >
      <div data-testid="aks-baseline-card">
        {available ? (
          <>
            <CardContent {...props} findingsLink={findingsLink} />
            <ScoringHelp />
          </>
        ) : (
          <MissingAnnotations />
        )}
      </div>
    </InfoCard>
  );
}
