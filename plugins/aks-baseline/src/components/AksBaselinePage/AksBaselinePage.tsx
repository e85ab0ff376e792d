import { useEffect, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  SupportButton,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  EntityScoreSummary,
  EvaluationRun,
  OwnerScore,
  RuleFailureCount,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { GradeLetter } from '../shared/ScoreBadge';
import { SeverityChip } from '../shared/Chips';
import { EvaluatedAt } from '../shared/Evaluated';
import { categoryTitle, shortRef, SEVERITY_TITLES } from '../shared/format';
import { ClusterTile } from './ClusterTile';
import {
  RunClusterButton,
  RunEvaluationButton,
  useRunEvaluation,
} from './RunEvaluationButton';

/** @public */
export interface AksBaselinePageProps {
  title?: string;
  subtitle?: string;
}

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  },
  owner: {
    minWidth: 240,
  },
  sectionTitle: {
    fontWeight: 700,
    marginBottom: theme.spacing(1.5),
  },
  score: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  scoreNumber: {
    fontWeight: 600,
    fontVariantNumeric: 'tabular-nums',
  },
}));

function Score(props: { score: number | null; grade: OwnerScore['grade'] }) {
  const classes = useStyles();
  return (
    <Box className={classes.score}>
      <GradeLetter grade={props.grade} />
      <Typography variant="body1" className={classes.scoreNumber}>
        {props.score ?? '–'}
      </Typography>
    </Box>
  );
}

function failingText(counts: OwnerScore['counts']): string {
  const parts = (['critical', 'high', 'medium', 'low'] as const)
    .filter(s => counts.failing[s])
    .map(
      s =>
        `${counts.failing[s]} ${SEVERITY_TITLES[s].toLocaleLowerCase('en-US')}`,
    );
  return parts.length ? parts.join(' · ') : 'none';
}

function RunResult(props: { run: EvaluationRun }) {
  const { run } = props;
  if (run.status === 'failed') {
    return (
      <Typography variant="body2" color="error">
        {run.error ?? 'failed'}
      </Typography>
    );
  }
  if (run.score === undefined) return null;
  return <Score score={run.score ?? null} grade={run.grade ?? null} />;
}

function initialOwner(): string {
  try {
    return new URLSearchParams(window.location.search).get('owner') ?? '';
  } catch {
    return '';
  }
}

function formatDuration(ms?: number): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * The AKS Baseline page for platform teams.
 *
 * @public
 */
export function AksBaselinePage(props: AksBaselinePageProps) {
  const {
    title = 'AKS Baseline',
    subtitle = 'How our AKS clusters and the services on them measure up to the baseline',
  } = props;
  const classes = useStyles();
  const api = useApi(aksBaselineApiRef);
  const [owner, setOwner] = useState(initialOwner);
  const [knownOwners, setKnownOwners] = useState<string[]>([]);
  const [polling, setPolling] = useState(false);

  const overview = useAsyncRetry(
    () => api.getOverview({ owner: owner || undefined }),
    [api, owner],
  );
  const runs = useAsyncRetry(() => api.getEvaluations({ limit: 20 }), [api]);

  useEffect(() => {
    const owners = overview.value?.owners.map(o => o.owner) ?? [];
    if (owner) owners.push(owner);
    setKnownOwners(known => {
      const merged = new Set([...known, ...owners]);
      return merged.size === known.length ? known : [...merged].sort();
    });
  }, [overview.value, owner]);

  // After a run starts: follow the runs until none is running, then reload.
  const retryRuns = runs.retry;
  const retryOverview = overview.retry;
  useEffect(() => {
    if (!polling) return undefined;
    const started = Date.now();
    const timer = setInterval(() => {
      retryRuns();
      if (Date.now() - started > 5 * 60_000) setPolling(false);
    }, 3000);
    return () => clearInterval(timer);
  }, [polling, retryRuns]);
  useEffect(() => {
    if (!polling || runs.loading || !runs.value) return;
    if (!runs.value.items.some(r => r.status === 'running')) {
      setPolling(false);
      retryOverview();
    }
  }, [polling, runs.loading, runs.value, retryOverview]);

  const runState = useRunEvaluation(() => {
    retryRuns();
    setPolling(true);
  });

  const ownerColumns: TableColumn<OwnerScore & { rank: number }>[] = useMemo(
    () => [
      {
        title: 'Team',
        field: 'owner',
        highlight: true,
        render: row => (
          <Box display="flex" style={{ gap: 12 }}>
            <Typography variant="body2" color="textSecondary">
              {row.rank}.
            </Typography>
            <Box minWidth={0}>
              <EntityRefLink entityRef={row.owner} defaultKind="group" />
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {row.entities} entit{row.entities === 1 ? 'y' : 'ies'} ·
                failing: {failingText(row.counts)}
                {row.totals.unknown
                  ? ` · ${row.totals.unknown} not checked`
                  : ''}
                {row.stale ? ' · stale' : ''}
              </Typography>
            </Box>
          </Box>
        ),
      },
      {
        title: 'Score',
        field: 'score',
        width: '96px',
        render: row => <Score score={row.score} grade={row.grade} />,
      },
    ],
    [],
  );

  const ruleColumns: TableColumn<RuleFailureCount & { id: string }>[] = useMemo(
    () => [
      {
        title: 'Rule',
        field: 'title',
        highlight: true,
        render: row => (
          <Box>
            <Typography variant="body2" style={{ fontWeight: 600 }}>
              {row.title}
            </Typography>
            <Box display="flex" alignItems="center" mt={0.5} style={{ gap: 8 }}>
              <SeverityChip severity={row.severity} />
              <Typography variant="caption" color="textSecondary">
                {row.baselineRef} · {categoryTitle(row.category)}
              </Typography>
            </Box>
          </Box>
        ),
      },
      { title: 'Failures', field: 'failures', type: 'numeric', width: '80px' },
      { title: 'Entities', field: 'entities', type: 'numeric', width: '80px' },
      ...(overview.value?.topFailingRules.some(r => r.clusters !== undefined)
        ? [
            {
              title: 'Clusters',
              field: 'clusters',
              type: 'numeric',
              width: '80px',
            } as TableColumn<RuleFailureCount & { id: string }>,
          ]
        : []),
    ],
    [overview.value],
  );

  const entityColumns: TableColumn<EntityScoreSummary & { id: string }>[] =
    useMemo(
      () => [
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
      ],
      [],
    );

  const runColumns: TableColumn<EvaluationRun>[] = useMemo(
    () => [
      { title: 'Cluster', field: 'cluster', highlight: true },
      {
        title: 'Status',
        field: 'status',
        render: row => (
          <Chip
            size="small"
            label={row.status}
            variant={row.status === 'failed' ? 'default' : 'outlined'}
            color={row.status === 'failed' ? 'secondary' : 'default'}
          />
        ),
      },
      { title: 'Trigger', field: 'trigger' },
      {
        title: 'Started',
        field: 'startedAt',
        render: row => <EvaluatedAt at={row.startedAt} prefix="" />,
      },
      {
        title: 'Duration',
        field: 'durationMs',
        render: row => formatDuration(row.durationMs),
      },
      {
        title: 'Result',
        render: row => <RunResult run={row} />,
      },
    ],
    [],
  );

  let body;
  if (overview.loading && !overview.value) {
    body = <Progress />;
  } else if (overview.error) {
    body = <ResponseErrorPanel error={overview.error} />;
  } else if (overview.value) {
    const value = overview.value;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Typography
            variant="h5"
            component="h2"
            className={classes.sectionTitle}
          >
            Clusters
          </Typography>
          {value.clusters.length === 0 ? (
            <EmptyState
              missing="data"
              title="No cluster evaluated yet"
              description="Configure clusters under aksBaseline.clusters in app-config (or the Kubernetes plugin's clusters), then run an evaluation."
            />
          ) : (
            <Grid container spacing={3} data-testid="aks-baseline-clusters">
              {value.clusters.map(cluster => (
                <Grid
                  item
                  xs={12}
                  md={6}
                  lg={value.clusters.length > 2 ? 4 : 6}
                  key={cluster.name}
                >
                  <ClusterTile
                    cluster={cluster}
                    action={
                      <RunClusterButton
                        state={runState}
                        cluster={cluster.name}
                      />
                    }
                  />
                </Grid>
              ))}
            </Grid>
          )}
        </Grid>
        <Grid item xs={12} lg={5}>
          <Box data-testid="aks-baseline-owners">
            <Table
              title="Teams by score"
              subtitle={[
                owner ? `Filtered to ${shortRef(owner)}` : 'Best first',
                value.ownerTotal > value.owners.length
                  ? `showing ${value.owners.length} of ${value.ownerTotal}`
                  : '',
              ]
                .filter(Boolean)
                .join('; ')}
              columns={ownerColumns}
              data={value.owners.map((o, i) => ({
                ...o,
                rank: i + 1,
                id: o.owner,
              }))}
              options={{
                search: false,
                paging: false,
                padding: 'dense',
                draggable: false,
              }}
              emptyContent={
                <Box p={3}>
                  <Typography variant="body2">
                    No team has a scored entity yet.
                  </Typography>
                </Box>
              }
            />
          </Box>
        </Grid>
        <Grid item xs={12} lg={7}>
          <Box data-testid="aks-baseline-top-failing-rules">
            <Table
              title="Rules failed most"
              subtitle={
                owner
                  ? `Across ${shortRef(owner)}'s entities`
                  : `Across the ${
                      value.clusters.length ? 'clusters' : 'entities'
                    } shown here`
              }
              columns={ruleColumns}
              data={value.topFailingRules.map(r => ({ ...r, id: r.ruleId }))}
              options={{
                search: false,
                paging: false,
                padding: 'dense',
                draggable: false,
              }}
              emptyContent={
                <Box p={3}>
                  <Typography variant="body2">
                    No rule is failing. 🎉
                  </Typography>
                </Box>
              }
            />
          </Box>
        </Grid>
        <Grid item xs={12}>
          <Box data-testid="aks-baseline-entities">
            <Table
              title="Entities, lowest score first"
              subtitle={
                value.entityTotal > value.entities.length
                  ? `Showing ${value.entities.length} of ${value.entityTotal}`
                  : `${value.entities.length} scored entit${
                      value.entities.length === 1 ? 'y' : 'ies'
                    }`
              }
              columns={entityColumns}
              data={value.entities.map(e => ({ ...e, id: e.entityRef }))}
              options={{
                search: true,
                paging: value.entities.length > 10,
                pageSize: 10,
                padding: 'dense',
                draggable: false,
              }}
            />
          </Box>
        </Grid>
        <Grid item xs={12}>
          <Box data-testid="aks-baseline-evaluations">
            {runs.error ? (
              <ResponseErrorPanel
                error={runs.error}
                title="Could not load the evaluation runs"
              />
            ) : (
              <Table
                title="Recent evaluations"
                subtitle={polling ? 'An evaluation is running…' : undefined}
                columns={runColumns}
                data={runs.value?.items ?? []}
                isLoading={runs.loading && !runs.value}
                options={{
                  search: false,
                  paging: false,
                  padding: 'dense',
                  draggable: false,
                }}
                emptyContent={
                  <Box p={3}>
                    <Typography variant="body2">
                      No evaluation has run yet.
                    </Typography>
                  </Box>
                }
              />
            )}
          </Box>
        </Grid>
      </Grid>
    );
  }

  return (
    <Page themeId="tool">
      <Header title={title} subtitle={subtitle} />
      <Content>
        <ContentHeader title="Platform overview">
          <Box className={classes.toolbar}>
            <TextField
              id="aks-baseline-owner-filter"
              select
              label="Owner"
              value={owner}
              onChange={e => setOwner(e.target.value)}
              SelectProps={{ native: true }}
              InputLabelProps={{ shrink: true }}
              size="small"
              variant="outlined"
              className={classes.owner}
            >
              <option value="">All owners</option>
              {knownOwners.map(o => (
                <option key={o} value={o}>
                  {shortRef(o)}
                </option>
              ))}
            </TextField>
            <RunEvaluationButton state={runState} />
            <SupportButton>
              Scores come from the AKS Baseline backend, which evaluates every
              configured cluster on a schedule. A grade is A (90+) to F (below
              60); colour repeats the grade, it never replaces it.
            </SupportButton>
          </Box>
        </ContentHeader>
        {body}
      </Content>
    </Page>
  );
}
