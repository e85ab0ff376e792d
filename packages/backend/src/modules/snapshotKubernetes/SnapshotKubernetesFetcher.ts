/*
 * DEMO ONLY. Answers the Kubernetes plugin for a snapshot cluster as its
 * API server would have: one list per object type asked for, in the
 * entity's namespace, filtered by the label selector. The snapshot is read
 * by the AKS Baseline reader on each request, so the Kubernetes tab shows
 * the objects the AKS Baseline plugin scores. Clusters that are not
 * snapshots go to the plugin's own fetcher.
 */
import {
  ClusterSnapshot,
  InvalidLabelSelectorError,
  KindTable,
  KNOWN_KINDS,
  LabelSelector,
  matchesSelector,
  parseLabelSelector,
  readSnapshotDirectory,
} from '@aks-baseline/plugin-aks-baseline-node';
import type {
  ClusterDetails,
  FetchResponseWrapper,
  KubernetesCredential,
  KubernetesFetcher,
  ObjectFetchParams,
  ObjectToFetch,
} from '@backstage/plugin-kubernetes-node';
import type { SnapshotCluster } from './snapshotClusters';

type FetchResponse = FetchResponseWrapper['responses'][number];
type FetchError = FetchResponseWrapper['errors'][number];

const KINDS = new KindTable();

/** The path the plugin's own fetcher would have listed. */
function resourcePath(type: ObjectToFetch, namespace?: string): string {
  const base = type.group
    ? `/apis/${type.group}/${type.apiVersion}`
    : `/api/${type.apiVersion}`;
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${type.plural}`;
}

/**
 * One object type's list, or the error the API server would have given:
 * 404 for a type the snapshot does not hold (the reader keeps the kinds the
 * rules read, never Secrets or ConfigMaps) or a custom resource known not
 * to be installed; the recorded reason for a kind that could not be read.
 */
function listOf(
  snapshot: ClusterSnapshot,
  type: ObjectToFetch,
  namespace: string | undefined,
  selector: LabelSelector,
): FetchResponse | FetchError {
  const info = KNOWN_KINDS.find(
    k => k.group === type.group && k.plural === type.plural,
  );
  if (!info || snapshot.coverage.absentKinds.includes(info.kind)) {
    return {
      errorType: 'NOT_FOUND',
      statusCode: 404,
      resourcePath: resourcePath(type, namespace),
    };
  }
  const unreadable = snapshot.coverage.unreadable[info.kind];
  if (unreadable !== undefined) {
    return {
      errorType: 'FETCH_ERROR',
      message: `${snapshot.name}: ${type.plural} could not be read when the snapshot was taken (${unreadable})`,
    };
  }
  const resources = snapshot.objects.filter(
    object =>
      object.kind === info.kind &&
      (!namespace || KINDS.namespaceOf(object) === namespace) &&
      matchesSelector(selector, object.metadata.labels),
  );
  return { type: type.objectType, resources } as FetchResponse;
}

export class SnapshotKubernetesFetcher implements KubernetesFetcher {
  private readonly directories: ReadonlyMap<string, string>;

  constructor(
    clusters: readonly SnapshotCluster[],
    private readonly apiServers: KubernetesFetcher,
  ) {
    this.directories = new Map(clusters.map(c => [c.name, c.directory]));
  }

  async fetchObjectsForService(
    params: ObjectFetchParams,
  ): Promise<FetchResponseWrapper> {
    const name = params.clusterDetails.name;
    const directory = this.directories.get(name);
    if (directory === undefined) {
      return this.apiServers.fetchObjectsForService(params);
    }
    const types = [...params.objectTypesToFetch, ...params.customResources];
    const out: FetchResponseWrapper = { errors: [], responses: [] };
    let selector: LabelSelector;
    try {
      selector = parseLabelSelector(params.labelSelector ?? '');
    } catch (error) {
      if (!(error instanceof InvalidLabelSelectorError)) throw error;
      // Each list would have been refused: 400 Bad Request.
      for (const type of types) {
        out.errors.push({
          errorType: 'BAD_REQUEST',
          statusCode: 400,
          resourcePath: resourcePath(type, params.namespace),
        });
      }
      return out;
    }
    let snapshot: ClusterSnapshot;
    try {
      snapshot = await readSnapshotDirectory(directory, name);
    } catch (error) {
      // As an unreachable API server: the cluster shows the error.
      out.errors.push({
        errorType: 'FETCH_ERROR',
        message: `${name}: cannot read the snapshot (${
          (error as Error).message
        })`,
      });
      return out;
    }
    for (const type of types) {
      const list = listOf(snapshot, type, params.namespace, selector);
      if ('errorType' in list) out.errors.push(list);
      else out.responses.push(list);
    }
    return out;
  }

  /** A snapshot has no metrics server (its clusters skip the lookup too). */
  async fetchPodMetricsByNamespaces(
    clusterDetails: ClusterDetails,
    credential: KubernetesCredential,
    namespaces: Set<string>,
    labelSelector?: string,
  ): Promise<FetchResponseWrapper> {
    if (this.directories.has(clusterDetails.name)) {
      return { errors: [], responses: [] };
    }
    return this.apiServers.fetchPodMetricsByNamespaces(
      clusterDetails,
      credential,
      namespaces,
      labelSelector,
    );
  }
}
