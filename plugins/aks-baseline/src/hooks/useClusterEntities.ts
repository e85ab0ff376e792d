import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import {
  getAksBaselineClusterName,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from '../conditions';

const EMPTY: ReadonlyMap<string, CompoundEntityRef> = new Map();

/**
 * The catalog's cluster `Resource`s by the configured cluster name they
 * stand for (`aks-baseline.io/cluster`, else their name). Empty while
 * loading or when the catalog cannot be read: tiles then show no link.
 */
export function useClusterEntities(): ReadonlyMap<string, CompoundEntityRef> {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'Resource',
        'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
      },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
      ],
    });
    return new Map(
      items.map(entity => [
        getAksBaselineClusterName(entity),
        getCompoundEntityRef(entity),
      ]),
    );
  }, [catalogApi]);
  return value ?? EMPTY;
}
