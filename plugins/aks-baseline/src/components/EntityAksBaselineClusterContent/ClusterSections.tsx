/*
 * The sections of a cluster's AKS Baseline tab, in order. Each one is a
 * component of the loaded cluster; a feature that belongs on the cluster
 * page (upgrade readiness, audit export, ...) is added here as a section.
 */
import { useCallback, useMemo } from 'react';
import Grid from '@material-ui/core/Grid';
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
import { UnknownChecks } from '../shared/UnknownChecks';
import { FindingsTable } from '../shared/FindingsTable';
import { failingRules } from '../shared/findings';
import { ManualChecklist, manualItems } from '../shared/ManualChecklist';
import { ScoreCards } from '../shared/ScoreCards';
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
      <ScoreCards
        title="Cluster score"
        score={cluster.score}
        grade={cluster.grade}
        evaluatedAt={cluster.evaluatedAt}
        summary={
          <>
            Every object of the cluster · {cluster.totals.passed} checks passed,{' '}
            {cluster.totals.failed} failed
            {cluster.counts.waived ? `, ${cluster.counts.waived} waived` : ''}
          </>
        }
        failing={cluster.counts.failing}
        afterFailing={
          <UnknownChecks
            unknown={cluster.totals.unknown}
            kinds={cluster.unreadableKinds}
          />
        }
        trendTitle="History"
        history={history}
        categories={cluster.categories}
      />
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
