import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { EmptyState } from '@backstage/core-components';
import { ClusterSummary } from '@aks-baseline/plugin-aks-baseline-common';
import { useClusterEntities, useEntityLink } from '../../hooks';
import { ClusterTile } from './ClusterTile';
import { RunClusterButton, RunEvaluationState } from './RunEvaluationButton';

/** A tile per cluster, each linking to its cluster's page when the catalog has one. */
export function ClustersSection(props: {
  clusters: ClusterSummary[];
  runState: RunEvaluationState;
  /** Clusters being evaluated now. */
  evaluating?: ReadonlySet<string>;
}) {
  const { clusters, runState, evaluating } = props;
  const entityLink = useEntityLink();
  const clusterEntities = useClusterEntities();
  return (
    <>
      <Typography
        variant="h5"
        component="h2"
        style={{ fontWeight: 700, marginBottom: 12 }}
      >
        Clusters
      </Typography>
      {clusters.length === 0 ? (
        <EmptyState
          missing="data"
          title="No cluster evaluated yet"
          description="Configure clusters under aksBaseline.clusters in app-config (or the Kubernetes plugin's clusters), then run an evaluation."
        />
      ) : (
        <Grid container spacing={3} data-testid="aks-baseline-clusters">
          {clusters.map(cluster => {
            const entity = clusterEntities.get(cluster.name);
            return (
              <Grid
                item
                xs={12}
                md={6}
                lg={clusters.length > 2 ? 4 : 6}
                key={cluster.name}
              >
                <ClusterTile
                  cluster={cluster}
                  evaluating={evaluating?.has(cluster.name) ?? false}
                  link={entity && entityLink ? entityLink(entity) : undefined}
                  action={
                    <RunClusterButton
                      state={runState}
                      cluster={cluster.name}
                      evaluating={evaluating?.has(cluster.name) ?? false}
                    />
                  }
                />
              </Grid>
            );
          })}
        </Grid>
      )}
    </>
  );
}
