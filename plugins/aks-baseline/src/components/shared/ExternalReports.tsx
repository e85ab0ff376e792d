/*
 * Policy Reports that other tools (Kyverno, Trivy, Kubescape...) left in
 * the entity's clusters, beside the baseline's findings and never part of
 * its score: per cluster, what was read (or that the CRDs are not
 * installed, or why they could not be read: never shown as "none"), the
 * results by outcome, and those that need attention, each labelled with its
 * tool, severity and result.
 */
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import {
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
  useApiHolder,
} from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  ClusterPolicyReports,
  POLICY_REPORT_RESULT_VALUES,
  PolicyReportResultItem,
  PolicyReportsResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import useAsync from 'react-use/esm/useAsync';

function reportsPath(ref: CompoundEntityRef): string {
  return [
    'entities',
    encodeURIComponent(ref.namespace.toLocaleLowerCase('en-US')),
    encodeURIComponent(ref.kind.toLocaleLowerCase('en-US')),
    encodeURIComponent(ref.name),
    'policy-reports',
  ].join('/');
}

function countsText(counts: ClusterPolicyReports['counts']): string {
  const parts = POLICY_REPORT_RESULT_VALUES.filter(v => counts[v] > 0).map(
    v => `${counts[v]} ${v}`,
  );
  return parts.length ? parts.join(' · ') : 'no results about these objects';
}

function objectText(r: PolicyReportResultItem): string {
  if (!r.resource) return `${r.report.kind} ${r.report.name}`;
  const { kind, namespace, name } = r.resource;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function ResultsTable(props: {
  cluster: string;
  results: PolicyReportResultItem[];
}) {
  return (
    <Table
      size="small"
      aria-label={`Policy Report results on ${props.cluster}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>Result</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>Source</TableCell>
          <TableCell>Policy / rule</TableCell>
          <TableCell>Object</TableCell>
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.results.map((r, i) => (
          <TableRow key={i}>
            <TableCell>
              <Chip size="small" variant="outlined" label={r.result} />
            </TableCell>
            <TableCell>{r.severity ?? 'not given'}</TableCell>
            <TableCell>{r.source}</TableCell>
            <TableCell>
              {r.policy}
              {r.rule ? ` / ${r.rule}` : ''}
              {r.category ? (
                <Typography variant="caption" component="div">
                  {r.category}
                </Typography>
              ) : null}
            </TableCell>
            <TableCell>{objectText(r)}</TableCell>
            <TableCell>{r.message ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ClusterReports(props: { reports: ClusterPolicyReports }) {
  const { reports } = props;
  let body;
  if (reports.status === 'not-installed') {
    body = (
      <Typography variant="body2">
        No Policy Reports: the wgpolicyk8s.io CRDs are not installed.
      </Typography>
    );
  } else if (reports.status === 'unreadable') {
    body = (
      <Typography variant="body2" color="error">
        Not read: {reports.reason ?? 'the reports could not be listed'}. This
        says nothing about whether there are any.
      </Typography>
    );
  } else {
    body = (
      <>
        <Typography variant="body2">{countsText(reports.counts)}</Typography>
        {reports.results.length ? (
          <ResultsTable cluster={reports.cluster} results={reports.results} />
        ) : null}
        {reports.truncated ? (
          <Typography variant="caption" component="p">
            Partial: more results than the backend keeps or lists.
          </Typography>
        ) : null}
      </>
    );
  }
  return (
    <Box
      mb={2}
      component="section"
      aria-label={`Policy Reports on ${reports.cluster}`}
    >
      <Typography variant="subtitle2" component="h3">
        {reports.cluster}
      </Typography>
      {body}
    </Box>
  );
}

/**
 * Discovery and fetch. Every app has both; a harness without them (or whose
 * discovery cannot be built, with no backend.baseUrl) shows no card.
 */
function useBackendApis(): {
  discoveryApi?: DiscoveryApi;
  fetchApi?: FetchApi;
} {
  const apis = useApiHolder();
  try {
    return {
      discoveryApi: apis.get(discoveryApiRef),
      fetchApi: apis.get(fetchApiRef),
    };
  } catch {
    return {};
  }
}

/**
 * The Policy Reports card of an entity: nothing when the backend does not
 * read them, or no cluster of the entity has been read.
 */
export function ExternalReports(props: { entityRef: CompoundEntityRef }) {
  const { entityRef } = props;
  const { discoveryApi, fetchApi } = useBackendApis();
  const { value, error } = useAsync(async () => {
    if (!discoveryApi || !fetchApi) return undefined;
    const base = await discoveryApi.getBaseUrl('aks-baseline');
    const response = await fetchApi.fetch(`${base}/${reportsPath(entityRef)}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as PolicyReportsResponse;
  }, [
    discoveryApi,
    fetchApi,
    entityRef.kind,
    entityRef.namespace,
    entityRef.name,
  ]);

  if (error) {
    return (
      <InfoCard
        title="Policy Reports"
        titleTypographyProps={{ component: 'h2' }}
      >
        <Typography variant="body2" color="error">
          The Policy Reports could not be loaded: {error.message}
        </Typography>
      </InfoCard>
    );
  }
  if (!value?.enabled || value.clusters.length === 0) return null;
  return (
    <InfoCard
      title="Policy Reports"
      subheader="What other tools in the cluster report (wgpolicyk8s.io); not part of the AKS Baseline score"
      titleTypographyProps={{ component: 'h2' }}
    >
      {value.clusters.map(c => (
        <ClusterReports key={c.cluster} reports={c} />
      ))}
    </InfoCard>
  );
}
