import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/** The platform overview page. */
export const rootRouteRef = createRouteRef({ id: 'aks-baseline' });

/**
 * An entity's page, for links from the card to its tab and from cluster
 * tiles to their cluster. Optional: unbound, the plugin shows no such links.
 * Bound to the catalog's entity page unless the app binds it elsewhere.
 */
export const catalogEntityRouteRef = createExternalRouteRef({
  id: 'aks-baseline-catalog-entity',
  params: ['namespace', 'kind', 'name'],
  optional: true,
  defaultTarget: 'catalog.catalogEntity',
});

/**
 * The overview page, for the cluster card's link. Optional: an app that
 * installs the cards without the page shows no link. Bound to this plugin's
 * page unless the app binds it elsewhere.
 */
export const overviewRouteRef = createExternalRouteRef({
  id: 'aks-baseline-overview',
  optional: true,
  defaultTarget: 'aks-baseline.root',
});

/**
 * The scaffolder's template page, for the findings tab's "Open a fix pull
 * request" (the aks-baseline-fix-pr template). Optional: unbound, the
 * button is not shown. Bound to the scaffolder unless the app binds it
 * elsewhere.
 */
export const scaffolderTemplateRouteRef = createExternalRouteRef({
  id: 'aks-baseline-scaffolder-template',
  params: ['namespace', 'templateName'],
  optional: true,
  defaultTarget: 'scaffolder.selectedTemplate',
});
