import Grid from '@material-ui/core/Grid';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ScoreHistoryPoint } from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { getAksBaselineClusterName } from '../../conditions';
import { loadRules } from '../../hooks';
import { NeverEvaluatedNotice, StaleWarning } from '../shared/Evaluated';
import { ServiceError } from '../shared/ServiceError';
import { CLUSTER_SECTIONS } from './ClusterSections';

/** History points the trend draws. */
const HISTORY_LIMIT = 50;

/**
 * The AKS Baseline tab of a cluster `Resource` (`spec.type:
 * kubernetes-cluster`): the cluster's score and history, every finding
 * (paged and filtered by the backend), and the cluster-level manual
 * checklist; one section of CLUSTER_SECTIONS after another.
 */
export function EntityAksBaselineClusterContent() {
  const { entity } = useEntity();
  const api = useApi(aksBaselineApiRef);
  const name = getAksBaselineClusterName(entity);
  const entityRef = stringifyEntityRef(entity);
  const state = useAsyncRetry(async () => {
    const [cluster, history, rules] = await Promise.all([
      api.getCluster(name).catch(e => {
        if (e?.name === 'ResponseError' && e.statusCode === 404) return null;
        throw e;
      }),
      api
        .getClusterHistory(name, { limit: HISTORY_LIMIT })
        .then(r => r.items)
        .catch(() => [] as ScoreHistoryPoint[]),
      loadRules(api),
    ]);
    return { cluster, history, rules };
  }, [api, name]);

  if (state.loading) return <Progress />;
  if (state.error) {
    return (
      <ServiceError
        error={state.error}
        retry={state.retry}
        what="the cluster's findings"
      />
    );
  }
  const { cluster, history, rules } = state.value!;
  if (!cluster) {
    return (
      <InfoCard title="AKS Baseline" titleTypographyProps={{ component: 'h2' }}>
        <EmptyState
          missing="info"
          title={`Cluster ${name} is not evaluated`}
          description={`The AKS Baseline backend has no result for a cluster named "${name}". Add it under aksBaseline.clusters in app-config, or set the aks-baseline.io/cluster annotation to the configured name.`}
        />
      </InfoCard>
    );
  }
  if (cluster.status === 'never-evaluated') {
    return (
      <InfoCard title="AKS Baseline" titleTypographyProps={{ component: 'h2' }}>
        <NeverEvaluatedNotice
          lastError={cluster.lastError}
          lastAttemptAt={cluster.lastAttemptAt}
        />
      </InfoCard>
    );
  }
  return (
    <Grid container spacing={3} data-testid="aks-baseline-cluster-content">
      {cluster.stale ? (
        <Grid item xs={12}>
          <StaleWarning
            stale={cluster.stale}
            reason={cluster.staleReason ?? cluster.lastError}
            evaluatedAt={cluster.evaluatedAt}
          />
        </Grid>
      ) : null}
      {CLUSTER_SECTIONS.map(({ id, Component }) => (
        <Grid item xs={12} key={id} data-testid={`aks-baseline-section-${id}`}>
          <Component
            entityRef={entityRef}
            cluster={cluster}
            history={history}
            rules={rules}
          />
        </Grid>
      ))}
    </Grid>
  );
}
