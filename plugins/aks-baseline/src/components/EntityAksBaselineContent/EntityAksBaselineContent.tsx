import { useCallback, useMemo } from 'react';
import Grid from '@material-ui/core/Grid';
import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityScoreResponse,
  FINDING_STATUSES,
  FindingsQuery,
  ScoreHistoryPoint,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { isAksBaselineAvailable, isAksBaselineCluster } from '../../conditions';
import { RuleIndex, useEntityBaseline } from '../../hooks';
import { StaleWarning } from '../shared/Evaluated';
import { NotEvaluated } from '../shared/NotEvaluated';
import { entityUnreadableKinds, UnknownChecks } from '../shared/UnknownChecks';
import { FindingsTable } from '../shared/FindingsTable';
import { FixPullRequestButton } from '../shared/FixPullRequestButton';
import { failingRules } from '../shared/findings';
import { ClusterBreakdown } from '../shared/ClusterBreakdown';
import { ManualChecklist, manualItems } from '../shared/ManualChecklist';
import { MissingAnnotations } from '../shared/MissingAnnotations';
import { ScoreCards } from '../shared/ScoreCards';
import { ServiceError } from '../shared/ServiceError';
import { ExternalReports } from '../shared/ExternalReports';
import { EntityExportLinks } from '../shared/AuditExportLinks';
import { EntityAksBaselineClusterContent } from '../EntityAksBaselineClusterContent';

/** The table leaves manual findings to the checklist. */
const TABLE_STATUSES = FINDING_STATUSES.filter(s => s !== 'manual');

function Report(props: {
  entityRef: string;
  score: EntityScoreResponse;
  history: ScoreHistoryPoint[];
  rules: RuleIndex;
}) {
  const { entityRef, score, history, rules } = props;
  const { entity } = useEntity();
  const { counts } = score;
  const api = useApi(aksBaselineApiRef);
  const ref = useMemo(() => parseEntityRef(entityRef), [entityRef]);
  const loadFindings = useCallback(
    (query: FindingsQuery) => api.getEntityFindings(ref, query),
    [api, ref],
  );
  const manual = useMemo(
    () => manualItems(rules, score.manualRuleIds, 'service'),
    [rules, score.manualRuleIds],
  );
  const unreadable = useMemo(() => entityUnreadableKinds(score), [score]);
  const ruleOptions = useMemo(
    () =>
      failingRules(score.failingRules, rules).map(rule => ({
        value: rule.ruleId,
        label: `${rule.baselineRef} ${rule.title} (${rule.failures} failing)`,
      })),
    [score.failingRules, rules],
  );
  return (
    <Grid container spacing={3} data-testid="aks-baseline-content">
      {score.stale ? (
        <Grid item xs={12}>
          <StaleWarning
            stale={score.stale}
            reason={score.staleReason}
            evaluatedAt={score.evaluatedAt}
          />
        </Grid>
      ) : null}
      {score.totals.unknown || unreadable.length ? (
        <Grid item xs={12}>
          <UnknownChecks unknown={score.totals.unknown} kinds={unreadable} />
        </Grid>
      ) : null}
      <ScoreCards
        title="AKS Baseline score"
        score={score.score}
        grade={score.grade}
        evaluatedAt={score.evaluatedAt}
        summary={
          <>
            {score.resourceCount} object
            {score.resourceCount === 1 ? '' : 's'} on {score.clusters.length}{' '}
            cluster
            {score.clusters.length === 1 ? '' : 's'} · {score.totals.passed}{' '}
            checks passed, {score.totals.failed} failed
            {counts.waived ? `, ${counts.waived} waived` : ''}
            {score.totals.unknown
              ? `, ${score.totals.unknown} could not be made`
              : ''}
          </>
        }
        failing={counts.failing}
        trendTitle="Trend"
        history={history}
        footer={<EntityExportLinks entity={ref} />}
        categories={score.categories}
      />
      {score.clusters.length ? (
        <Grid item xs={12}>
          <ClusterBreakdown clusters={score.clusters} />
        </Grid>
      ) : null}
      <Grid item xs={12}>
        <FixPullRequestButton entity={entity} />
        <FindingsTable
          load={loadFindings}
          facets={score.facets}
          rules={rules}
          statuses={TABLE_STATUSES}
          ruleOptions={ruleOptions}
          passedOf={{ entity: ref }}
        />
      </Grid>
      <Grid item xs={12}>
        <ExternalReports entityRef={ref} />
      </Grid>
      {manual.length ? (
        <Grid item xs={12}>
          <ManualChecklist subject={entityRef} items={manual} />
        </Grid>
      ) : null}
    </Grid>
  );
}

/**
 * The AKS Baseline tab of an entity page; on a cluster `Resource`
 * (`spec.type: kubernetes-cluster`), the cluster's tab.
 *
 * @public
 */
export function EntityAksBaselineContent() {
  const { entity } = useEntity();
  // A cluster Resource: the cluster's own findings, checklist and history.
  if (isAksBaselineCluster(entity)) return <EntityAksBaselineClusterContent />;
  const available = isAksBaselineAvailable(entity);
  if (!available) {
    return <MissingAnnotations />;
  }
  return <Loaded />;
}

function Loaded() {
  const { entity } = useEntity();
  const { loading, error, value, retry } = useEntityBaseline(entity);
  if (loading) return <Progress />;
  if (error) {
    return <ServiceError error={error} retry={retry} what="the findings" />;
  }
  if (!value) return null;
  if (!value.result.evaluated) {
    return (
      <InfoCard title="AKS Baseline" titleTypographyProps={{ component: 'h2' }}>
        <NotEvaluated
          entity={entity}
          reason={value.result.reason}
          clusters={value.result.clusters}
        />
      </InfoCard>
    );
  }
  return (
    <Report
      entityRef={stringifyEntityRef(entity)}
      score={value.result.score}
      history={value.history}
      rules={value.rules}
    />
  );
}
