import { useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EntityScoreResponse,
  ScoreHistoryPoint,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  isAksBaselineAvailable,
  KUBERNETES_ID_ANNOTATION,
} from '../../conditions';
import { RuleIndex, useEntityBaseline, useEntityTabLink } from '../../hooks';
import { ScoreBadge } from '../shared/ScoreBadge';
import { CategoryBars } from '../shared/CategoryBars';
import { SeverityChip, SeverityCounts } from '../shared/Chips';
import { Sparkline } from '../shared/Sparkline';
import { EvaluatedAt, StaleWarning } from '../shared/Evaluated';
import { NotEvaluated } from '../shared/NotEvaluated';
import { entityUnreadableKinds, UnknownChecks } from '../shared/UnknownChecks';
import { failingRules } from '../shared/findings';
import { resourceLabel } from '../shared/format';

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

const KUBERNETES_DOCS =
  'https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity';

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
  ruleItem: {
    display: 'grid',
    gridTemplateColumns: '5.5em 1fr',
    columnGap: theme.spacing(1.5),
    alignItems: 'start',
    paddingLeft: 0,
    paddingRight: 0,
  },
  ruleTitle: {
    fontWeight: 600,
  },
  ruleKey: {
    color: theme.palette.text.secondary,
    fontWeight: 400,
    marginLeft: theme.spacing(1),
    whiteSpace: 'nowrap',
  },
  fix: {
    display: 'block',
    marginTop: 2,
  },
  allPassing: {
    padding: theme.spacing(1.5, 0),
  },
}));

function TopFailingRules(props: {
  score: EntityScoreResponse;
  rules: RuleIndex;
  max: number;
}) {
  const classes = useStyles();
  const top = useMemo(
    () => failingRules(props.score.failingRules, props.rules),
    [props.score.failingRules, props.rules],
  );
  if (top.length === 0) {
    return (
      <Typography
        variant="body2"
        className={classes.allPassing}
        data-testid="aks-baseline-top-rules"
      >
        No failing checks. Every evaluated rule passes, is waived or does not
        apply.
      </Typography>
    );
  }
  return (
    <List
      dense
      disablePadding
      aria-label="Top failing rules"
      data-testid="aks-baseline-top-rules"
    >
      {top.slice(0, props.max).map(rule => {
        const [first] = rule.resources;
        const more = rule.failures - 1;
        return (
          <ListItem key={rule.ruleId} className={classes.ruleItem} divider>
            <Box pt={0.25}>
              <SeverityChip severity={rule.severity} />
            </Box>
            <Box minWidth={0}>
              <Typography variant="body2" className={classes.ruleTitle}>
                {rule.title}
                <span className={classes.ruleKey}>{rule.baselineRef}</span>
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {first ? resourceLabel(first) : rule.baselineRef}
                {first && more > 0 ? ` and ${more} more` : ''}
                {rule.clusters.length ? ` · ${rule.clusters.join(', ')}` : ''}
              </Typography>
              <Typography variant="caption" className={classes.fix}>
                <strong>Fix:</strong> {rule.fix}
              </Typography>
            </Box>
          </ListItem>
        );
      })}
      {top.length > props.max ? (
        <ListItem className={classes.ruleItem}>
          <span />
          <Typography variant="caption" color="textSecondary">
            and {top.length - props.max} more failing rules
          </Typography>
        </ListItem>
      ) : null}
    </List>
  );
}

function ScoreView(props: {
  score: EntityScoreResponse;
  history: ScoreHistoryPoint[];
  rules: RuleIndex;
  maxRules: number;
}) {
  const { score, history, rules, maxRules } = props;
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
      <CategoryBars categories={score.categories} dense />

      <Divider style={{ marginTop: 16 }} />
      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.section}
      >
        Top failing rules
      </Typography>
      <TopFailingRules score={score} rules={rules} max={maxRules} />
    </Box>
  );
}

function CardContent(props: EntityAksBaselineCardProps) {
  const { entity } = useEntity();
  const { historyLimit, maxRules = 5 } = props;
  const { loading, error, value } = useEntityBaseline(entity, { historyLimit });
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
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
  const link = useEntityTabLink(getCompoundEntityRef(entity), tabPath);
  const available = isAksBaselineAvailable(entity);
  return (
    <InfoCard
      title={title}
      subheader="How its Kubernetes workloads measure up to the AKS baseline"
      variant={variant}
      deepLink={
        available && link ? { title: 'View all findings', link } : undefined
      }
    >
      <div data-testid="aks-baseline-card">
        {available ? (
          <CardContent {...props} />
        ) : (
          <MissingAnnotationEmptyState
            annotation={KUBERNETES_ID_ANNOTATION}
            readMoreUrl={KUBERNETES_DOCS}
          />
        )}
      </div>
    </InfoCard>
  );
}
