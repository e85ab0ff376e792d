import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  EmptyState,
  InfoCard,
  InfoCardVariants,
  Link,
  Progress,
} from '@backstage/core-components';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ClusterDetailResponse,
  RuleInfo,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { getAksBaselineClusterName } from '../../conditions';
import { overviewRouteRef } from '../../routes';
import { useEntityLink } from '../../hooks';
import { ScoreBadge } from '../shared/ScoreBadge';
import { CategoryBars } from '../shared/CategoryBars';
import { SeverityChip, SeverityCounts } from '../shared/Chips';
import {
  EvaluatedAt,
  NeverEvaluatedNotice,
  StaleWarning,
} from '../shared/Evaluated';
import { UnknownChecks } from '../shared/UnknownChecks';
import { ServiceError } from '../shared/ServiceError';
import { FailingRule, failingRules } from '../shared/findings';
import { RuleObjects } from './RuleObjects';
import { ClusterUpgradeReadinessSection } from './UpgradeReadiness';
import { ClusterExportLinks } from '../shared/AuditExportLinks';

/** Kinds of the objects cluster-level rules look at, for when rule metadata is missing. */
const CLUSTER_KINDS = new Set([
  'ManagedCluster',
  'AgentPool',
  'MaintenanceConfiguration',
  'Cluster',
]);

/** A rule about the cluster itself (its ARM resource, pools, cluster-wide setup). */
export function isClusterLevel(
  rule: FailingRule,
  rules: ReadonlyMap<string, RuleInfo>,
): boolean {
  const info = rules.get(rule.ruleId);
  if (info) return info.scope === 'cluster' || info.scope === 'nodePool';
  return (
    rule.resources.length > 0 &&
    rule.resources.every(r => CLUSTER_KINDS.has(r.kind))
  );
}

const useStyles = makeStyles(theme => ({
  meta: {
    marginTop: theme.spacing(1),
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  section: {
    marginTop: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  ruleItem: {
    display: 'grid',
    gridTemplateColumns: '5.5em 1fr',
    columnGap: theme.spacing(1.5),
    alignItems: 'start',
    paddingLeft: 0,
    paddingRight: 0,
  },
}));

function ClusterView(props: {
  cluster: ClusterDetailResponse;
  rules: ReadonlyMap<string, RuleInfo>;
  maxRules: number;
  /** The cluster's AKS Baseline tab, when the app has entity pages. */
  tabLink?: string;
}) {
  const { cluster, rules, maxRules, tabLink } = props;
  const classes = useStyles();
  const failing = useMemo(
    () =>
      failingRules(cluster.failingRules, rules).filter(rule =>
        isClusterLevel(rule, rules),
      ),
    [cluster.failingRules, rules],
  );
  const manual = cluster.counts.manual;
  if (cluster.status === 'never-evaluated') {
    return (
      <Box data-testid="aks-baseline-cluster-body">
        <NeverEvaluatedNotice
          lastError={cluster.lastError}
          lastAttemptAt={cluster.lastAttemptAt}
        />
        <Box className={classes.meta}>
          <Chip
            size="small"
            variant="outlined"
            label={`source: ${cluster.sourceKind}`}
          />
          <EvaluatedAt at={cluster.evaluatedAt} />
        </Box>
      </Box>
    );
  }
  return (
    <Box data-testid="aks-baseline-cluster-body">
      <StaleWarning
        stale={cluster.stale}
        reason={cluster.staleReason ?? cluster.lastError}
        evaluatedAt={cluster.evaluatedAt}
      />
      <Grid container spacing={2} alignItems="center">
        <Grid item xs={12}>
          <ScoreBadge score={cluster.score} grade={cluster.grade} />
          <Box className={classes.meta}>
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
          {cluster.stats ? (
            <Typography variant="caption" color="textSecondary" component="p">
              {cluster.stats.objects.toLocaleString('en-US')} objects ·{' '}
              {cluster.stats.rules} rules ·{' '}
              {cluster.stats.checks.toLocaleString('en-US')} checks
            </Typography>
          ) : null}
        </Grid>
        <Grid item xs={12}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Failing checks (whole cluster)
          </Typography>
          <SeverityCounts counts={cluster.counts.failing} />
          <UnknownChecks
            unknown={cluster.totals.unknown}
            kinds={cluster.unreadableKinds}
          />
        </Grid>
      </Grid>

      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.section}
      >
        By category
      </Typography>
      <CategoryBars categories={cluster.categories} dense />

      <Divider style={{ marginTop: 16 }} />
      <Typography
        variant="subtitle2"
        component="h3"
        className={classes.section}
      >
        Cluster-level rules failing ({failing.length})
      </Typography>
      {failing.length === 0 ? (
        <Typography variant="body2" data-testid="aks-baseline-cluster-rules">
          Every cluster-level rule passes, is waived or does not apply.
        </Typography>
      ) : (
        <List
          dense
          disablePadding
          aria-label="Cluster-level rules failing"
          data-testid="aks-baseline-cluster-rules"
        >
          {failing.slice(0, maxRules).map(rule => (
            <ListItem key={rule.ruleId} className={classes.ruleItem} divider>
              <Box pt={0.25}>
                <SeverityChip severity={rule.severity} />
              </Box>
              <Box minWidth={0}>
                <Typography variant="body2" style={{ fontWeight: 600 }}>
                  {rule.title}{' '}
                  <Typography
                    component="span"
                    variant="body2"
                    color="textSecondary"
                  >
                    {rule.baselineRef}
                  </Typography>
                </Typography>
                <RuleObjects cluster={cluster.name} rule={rule} />
                <Typography variant="caption" component="div">
                  <strong>Fix:</strong> {rule.fix}
                </Typography>
              </Box>
            </ListItem>
          ))}
        </List>
      )}
      {failing.length > maxRules ? (
        <Typography variant="caption" component="p">
          {tabLink ? (
            <Link to={tabLink}>
              and {failing.length - maxRules} more in the AKS Baseline tab
            </Link>
          ) : (
            `and ${failing.length - maxRules} more`
          )}
        </Typography>
      ) : null}
      {manual ? (
        <Alert severity="info" style={{ marginTop: 16 }}>
          {manual} baseline item{manual === 1 ? '' : 's'} cannot be read from
          any API and wait for the owner's confirmation (manual checklist).
        </Alert>
      ) : null}
      <Divider style={{ marginTop: 16 }} />
      <ClusterUpgradeReadinessSection cluster={cluster.name} />
      <ClusterExportLinks cluster={cluster.name} />
    </Box>
  );
}

/** @public */
export interface EntityAksBaselineClusterCardProps {
  title?: string;
  /** How many failing cluster-level rules to list; default 8. */
  maxRules?: number;
  variant?: InfoCardVariants;
}

/**
 * The AKS Baseline card for a cluster `Resource` (`spec.type` is
 * `kubernetes-cluster`): the cluster's score and its cluster-level rules.
 *
 * @public
 */
export function EntityAksBaselineClusterCard(
  props: EntityAksBaselineClusterCardProps,
) {
  const { title = 'AKS Baseline', maxRules = 8, variant } = props;
  const { entity } = useEntity();
  const api = useApi(aksBaselineApiRef);
  const name = getAksBaselineClusterName(entity);
  const overviewRoute = useRouteRef(overviewRouteRef);
  const overviewLink = overviewRoute?.();
  const entityLink = useEntityLink();
  const state = useAsyncRetry(async () => {
    const [cluster, rules] = await Promise.all([
      api.getCluster(name).catch(e => {
        if (e?.name === 'ResponseError' && e.statusCode === 404) return null;
        throw e;
      }),
      api
        .getRules()
        .then(r => new Map(r.items.map(rule => [rule.id, rule])))
        .catch(() => new Map<string, RuleInfo>()),
    ]);
    return { cluster, rules };
  }, [api, name]);

  let body;
  if (state.loading) body = <Progress />;
  else if (state.error) {
    body = (
      <ServiceError
        error={state.error}
        retry={state.retry}
        what="the cluster's score"
      />
    );
  } else if (!state.value?.cluster) {
    body = (
      <div data-testid="aks-baseline-not-evaluated">
        <EmptyState
          missing="info"
          title={`Cluster ${name} is not evaluated`}
          description={`The AKS Baseline backend has no result for a cluster named "${name}". Add it under aksBaseline.clusters in app-config, or set the aks-baseline.io/cluster annotation to the configured name.`}
        />
      </div>
    );
  } else {
    body = (
      <ClusterView
        cluster={state.value.cluster}
        rules={state.value.rules}
        maxRules={maxRules}
        tabLink={entityLink?.(getCompoundEntityRef(entity), {
          tab: 'aks-baseline',
        })}
      />
    );
  }

  return (
    <InfoCard
      title={title}
      titleTypographyProps={{ component: 'h2' }}
      className="aks-baseline-cluster-card"
      subheader={`Cluster ${name}`}
      variant={variant}
      deepLink={
        overviewLink
          ? { title: 'Open the AKS Baseline overview', link: overviewLink }
          : undefined
      }
    >
      <div data-testid="aks-baseline-cluster-card">{body}</div>
    </InfoCard>
  );
}
