import { EmptyState } from '@backstage/core-components';
import { Entity } from '@backstage/catalog-model';
import {
  EntityScoreNotFoundReason,
  NeverEvaluatedCluster,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '../../conditions';

function selectorOf(entity: Entity): string {
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]) {
    return annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  }
  const id = annotations[KUBERNETES_ID_ANNOTATION] ?? entity.metadata.name;
  return `${KUBERNETES_ID_ANNOTATION}=${id}`;
}

/** The entity is annotated, but there is no score for it (yet). */
export function NotEvaluated(props: {
  entity: Entity;
  reason: EntityScoreNotFoundReason;
  clusters?: NeverEvaluatedCluster[];
}) {
  const { entity, reason, clusters = [] } = props;
  if (reason === 'never-evaluated') {
    const errors = clusters
      .map(c => `${c.name}: ${c.lastError ?? 'no error recorded'}`)
      .join('; ');
    return (
      <div data-testid="aks-baseline-not-evaluated">
        <EmptyState
          missing="info"
          title={`Never evaluated: ${
            clusters.length === 1 ? 'its cluster was' : 'its clusters were'
          } never read`}
          description={`${
            entity.metadata.title ?? entity.metadata.name
          } has no score because no evaluation of ${
            clusters.length === 1 ? 'its cluster' : 'the clusters it can run on'
          } has succeeded yet. ${
            errors ? `Last error: ${errors}.` : ''
          } A platform engineer can fix the cluster's access and run an evaluation from the AKS Baseline page.`}
        />
      </div>
    );
  }
  if (reason === 'no-workloads') {
    return (
      <div data-testid="aks-baseline-not-evaluated">
        <EmptyState
          missing="data"
          title="No workloads found on the evaluated clusters"
          description={`The clusters were evaluated, but no Kubernetes object matched the label selector ${selectorOf(
            entity,
          )}. Check that your Deployments carry this label, and that the namespace and cluster annotations (if any) are right.`}
        />
      </div>
    );
  }
  return (
    <div data-testid="aks-baseline-not-evaluated">
      <EmptyState
        missing="info"
        title="Not evaluated yet"
        description={`${
          entity.metadata.title ?? entity.metadata.name
        } has no AKS Baseline score yet. Clusters are evaluated on a schedule (every 30 minutes by default); the score appears here after the next run. Platform engineers can start one now from the AKS Baseline page.`}
      />
    </div>
  );
}
