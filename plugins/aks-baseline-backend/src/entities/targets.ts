/*
 * Which catalog entities get a score, and how their Kubernetes objects are
 * found: the same annotations as the Backstage Kubernetes plugin, plus
 * `aks-baseline.io/cluster` on a cluster `Resource`.
 */
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  InvalidLabelSelectorError,
  LabelSelector,
  parseLabelSelector,
} from '@aks-baseline/plugin-aks-baseline-node';

export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
export const KUBERNETES_CLUSTER_ANNOTATION = 'backstage.io/kubernetes-cluster';
export const AKS_BASELINE_CLUSTER_ANNOTATION = 'aks-baseline.io/cluster';

/** A catalog entity that gets a score, with how to find its objects. */
export interface EntityTarget {
  entityRef: string;
  /** Owner entity ref (from the `ownedBy` relation, else `spec.owner`). */
  owner?: string;
  /** Workload matching; absent for cluster Resources and invalid selectors. */
  workloads?: {
    selector: LabelSelector;
    /** `backstage.io/kubernetes-namespace`: only objects in this namespace. */
    namespace?: string;
    /** `backstage.io/kubernetes-cluster`: only on this cluster. */
    cluster?: string;
  };
  /** `aks-baseline.io/cluster`: the cluster a Resource stands for. */
  clusterName?: string;
  /** Why the entity's annotations could not be used, if so. */
  problem?: string;
}

function ownerOf(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return relation.targetRef;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || owner === '') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}

/**
 * The target of one entity, or undefined when it carries none of the
 * annotations. A label selector wins over the Kubernetes id, as in the
 * Kubernetes plugin.
 */
export function entityTarget(entity: Entity): EntityTarget | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const kubernetesId = text(annotations[KUBERNETES_ID_ANNOTATION]);
  const labelSelector = text(annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]);
  const clusterName = text(annotations[AKS_BASELINE_CLUSTER_ANNOTATION]);
  if (!kubernetesId && !labelSelector && !clusterName) return undefined;

  const target: EntityTarget = { entityRef: stringifyEntityRef(entity) };
  const owner = ownerOf(entity);
  if (owner) target.owner = owner;
  if (clusterName) target.clusterName = clusterName;
  if (kubernetesId || labelSelector) {
    try {
      const selector = labelSelector
        ? parseLabelSelector(labelSelector)
        : {
            matchLabels: { [KUBERNETES_ID_ANNOTATION]: kubernetesId! },
            matchExpressions: [],
          };
      target.workloads = { selector };
      const namespace = text(annotations[KUBERNETES_NAMESPACE_ANNOTATION]);
      if (namespace) target.workloads.namespace = namespace;
      const cluster = text(annotations[KUBERNETES_CLUSTER_ANNOTATION]);
      if (cluster) target.workloads.cluster = cluster;
    } catch (error) {
      if (!(error instanceof InvalidLabelSelectorError)) throw error;
      target.problem = error.message;
    }
  }
  return target;
}

/** The catalog entities that carry one of the annotations, read page by page. */
export async function readEntityTargets(options: {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  pageSize?: number;
}): Promise<EntityTarget[]> {
  const credentials = await options.auth.getOwnServiceCredentials();
  const targets: EntityTarget[] = [];
  const pages = options.catalog.streamEntities(
    {
      filter: [
        {
          [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        {
          [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        {
          [`metadata.annotations.${AKS_BASELINE_CLUSTER_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      ],
      fields: ['kind', 'metadata', 'spec.owner', 'spec.type', 'relations'],
      pageSize: options.pageSize ?? 500,
    },
    { credentials },
  );
  for await (const page of pages) {
    for (const entity of page) {
      const target = entityTarget(entity);
      if (!target) continue;
      if (target.problem) {
        options.logger.warn(
          `Entity ${target.entityRef} has an unusable annotation: ${target.problem}`,
        );
      }
      targets.push(target);
    }
  }
  return targets;
}
