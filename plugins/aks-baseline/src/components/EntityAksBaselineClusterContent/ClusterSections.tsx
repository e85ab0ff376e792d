/*
 * The sections of a cluster's AKS Baseline tab, in order. Each one is a
 * component of the loaded cluster; a feature that belongs on the cluster
 * page (upgrade readiness, audit export, ...) is added here as a section.
 */
import { useCallback, useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ClusterDetailResponse,
  FINDING_STATUSES,
  FindingsQuery,
  ScoreHistoryPoint,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { RuleIndex } from '../../hooks';
import { ScoreBadge } from '../shared/ScoreBadge';
import { CategoryBars } from '../shared/CategoryBars';
import { SeverityCounts } from '../shared/Chips';
import { Sparkline } from '../shared/Sparkline';
import { EvaluatedAt } from '../shared/Evaluated';
import { UnknownChecks } from '../shared/UnknownChecks';
import { FindingsTable } from '../shared/FindingsTable';
import { failingRules } from '../shared/findings';
import { ManualChecklist, manualItems } from '../shared/ManualChecklist';
import { ScoringHelp } from '../shared/ScoringHelp';
import { ClusterUpgradeReadinessSection } from '../EntityAksBaselineClusterCard/UpgradeReadiness';
import { ClusterExportLinks } from '../shared/AuditExportLinks';

/** What every section of the cluster tab is given. */
export interface ClusterSectionProps {
  /** The cluster's Resource entity ref (the manual checklist's subject). */
  entityRef: string;
  cluster: ClusterDetailResponse;
  history: ScoreHistoryPoint[];
  rules: RuleIndex;
}

/** A section of the cluster tab: a full-width row of the tab's grid. */
export interface ClusterSection {
  id: string;
  Component: (props: ClusterSectionProps) => JSX.Element | null;
}

/** The table leaves manual findings to the checklist. */
const TABLE_STATUSES = FINDING_STATUSES.filter(s => s !== 'manual');

function ScoreSection(props: ClusterSectionProps) {
  const { cluster, history } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard
          title="Cluster score"
          titleTypographyProps={{ component: 'h2' }}
          variant="gridItem"
        >
          <ScoreBadge score={cluster.score} grade={cluster.grade} />
          <Box mt={1} mb={2}>
            <EvaluatedAt at={cluster.evaluatedAt} />
            <Typography variant="body2" color="textSecondary">
              Every object of the cluster · {cluster.totals.passed} checks
              passed, {cluster.totals.failed} failed
              {cluster.counts.waived ? `, ${cluster.counts.waived} waived` : ''}
            </Typography>
          </Box>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Failing checks
          </Typography>
          <SeverityCounts counts={cluster.counts.failing} />
          <UnknownChecks
            unknown={cluster.totals.unknown}
            kinds={cluster.unreadableKinds}
          />
          <Box mt={2}>
            <Typography variant="subtitle2" component="h3" gutterBottom>
              History
            </Typography>
            <Sparkline items={history} width={240} height={48} />
          </Box>
          <ScoringHelp />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard
          title="By category"
          titleTypographyProps={{ component: 'h2' }}
          variant="gridItem"
        >
          <CategoryBars categories={cluster.categories} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}

function FindingsSection(props: ClusterSectionProps) {
  const { cluster, rules } = props;
  const api = useApi(aksBaselineApiRef);
  const name = cluster.name;
  const load = useCallback(
    (query: FindingsQuery) => api.getClusterFindings(name, query),
    [api, name],
  );
  const ruleOptions = useMemo(
    () =>
      failingRules(cluster.failingRules, rules).map(rule => ({
        value: rule.ruleId,
        label: `${rule.baselineRef} ${rule.title} (${rule.failures} failing)`,
      })),
    [cluster.failingRules, rules],
  );
  return (
    <FindingsTable
      load={load}
      facets={cluster.facets}
      rules={rules}
      statuses={TABLE_STATUSES}
      ruleOptions={ruleOptions}
      singleCluster
      passedOf={{ cluster: name }}
    />
  );
}

/** The cluster-operations items no API can answer (kube-bench, cost reviews, DR tests). */
function ManualSection(props: ClusterSectionProps) {
  const { entityRef, rules } = props;
  const items = useMemo(
    () =>
      manualItems(rules, [], 'cluster').filter(
        rule => rule.scope === 'cluster' || rule.scope === 'nodePool',
      ),
    [rules],
  );
  if (!items.length) return null;
  return <ManualChecklist subject={entityRef} items={items} />;
}

/** Can the cluster take the next minor, and its audit export. */
function UpgradeAndExportSection(props: ClusterSectionProps) {
  const name = props.cluster.name;
  return (
    <InfoCard
      title="Upgrade readiness and audit export"
      titleTypographyProps={{ component: 'h2' }}
    >
      <ClusterUpgradeReadinessSection cluster={name} />
      <ClusterExportLinks cluster={name} />
    </InfoCard>
  );
}

/** The cluster tab's sections, top to bottom. */
export const CLUSTER_SECTIONS: readonly ClusterSection[] = [
  { id: 'score', Component: ScoreSection },
  { id: 'upgrade-and-export', Component: UpgradeAndExportSection },
  { id: 'findings', Component: FindingsSection },
  { id: 'manual', Component: ManualSection },
];
