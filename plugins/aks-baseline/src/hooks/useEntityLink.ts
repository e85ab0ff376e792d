import { useCallback } from 'react';
import { useRouteRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { catalogEntityRouteRef } from '../routes';

/** Builds the URL of an entity's page, one of its tabs, with a query. */
export type EntityLinkFn = (
  ref: CompoundEntityRef,
  options?: { tab?: string; query?: Record<string, string | undefined> },
) => string;

/**
 * Links to entity pages, or undefined when the app bound no entity page
 * (the optional `catalogEntity` external route): then no link is shown.
 */
export function useEntityLink(): EntityLinkFn | undefined {
  const entityRoute = useRouteRef(catalogEntityRouteRef);
  const link = useCallback<EntityLinkFn>(
    (ref, options = {}) => {
      const base = entityRoute!({
        kind: ref.kind.toLocaleLowerCase('en-US'),
        namespace: ref.namespace.toLocaleLowerCase('en-US'),
        name: ref.name,
      }).replace(/\/$/, '');
      const path = options.tab
        ? `${base}/${options.tab.replace(/^\/|\/$/g, '')}`
        : base;
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(options.query ?? {})) {
        if (value) query.set(key, value);
      }
      const text = query.toString();
      return text ? `${path}?${text}` : path;
    },
    [entityRoute],
  );
  return entityRoute ? link : undefined;
}
