import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { aksBaselineApiRef, AksBaselineClient } from './api';
import type { AksBaselinePageProps } from './components/AksBaselinePage';
import type { EntityAksBaselineCardProps } from './components/EntityAksBaselineCard';
import type { EntityAksBaselineClusterCardProps } from './components/EntityAksBaselineClusterCard';
import type { EntityAksBaselineGroupCardProps } from './components/EntityAksBaselineGroupCard';
import type { AksBaselineTeamsCardProps } from './components/AksBaselineTeamsCard';
import {
  catalogEntityRouteRef,
  overviewRouteRef,
  rootRouteRef,
  scaffolderTemplateRouteRef,
} from './routes';

/**
 * The AKS Baseline frontend plugin (legacy frontend system).
 *
 * @public
 */
export const aksBaselinePlugin = createPlugin({
  id: 'aks-baseline',
  apis: [
    createApiFactory({
      api: aksBaselineApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AksBaselineClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
  externalRoutes: {
    catalogEntity: catalogEntityRouteRef,
    overview: overviewRouteRef,
    scaffolderTemplate: scaffolderTemplateRouteRef,
  },
});

/**
 * The platform teams' overview: clusters, owners ranked by score, the rules
 * failed most, and a button to run an evaluation.
 *
 * @public
 */
export const AksBaselinePage: (props: AksBaselinePageProps) => JSX.Element =
  aksBaselinePlugin.provide(
    createRoutableExtension({
      name: 'AksBaselinePage',
      component: () =>
        import('./components/AksBaselinePage').then(m => m.AksBaselinePage),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * The entity overview card: score, grade, categories, failing checks, top
 * failing rules, trend, last evaluation.
 *
 * @public
 */
export const EntityAksBaselineCard: (
  props: EntityAksBaselineCardProps,
) => JSX.Element = aksBaselinePlugin.provide(
  createComponentExtension({
    name: 'EntityAksBaselineCard',
    component: {
      lazy: () =>
        import('./components/EntityAksBaselineCard').then(
          m => m.EntityAksBaselineCard,
        ),
    },
  }),
);

/**
 * The entity tab: every finding, filterable, with evidence and the fix; the
 * per-cluster breakdown; the manual checklist. On a cluster `Resource`, the
 * cluster's findings, cluster-level checklist and history.
 *
 * @public
 */
export const EntityAksBaselineContent: () => JSX.Element =
  aksBaselinePlugin.provide(
    createComponentExtension({
      name: 'EntityAksBaselineContent',
      component: {
        lazy: () =>
          import('./components/EntityAksBaselineContent').then(
            m => m.EntityAksBaselineContent,
          ),
      },
    }),
  );

/**
 * The cluster card, for `Resource` entities of type `kubernetes-cluster`.
 *
 * @public
 */
export const EntityAksBaselineClusterCard: (
  props: EntityAksBaselineClusterCardProps,
) => JSX.Element = aksBaselinePlugin.provide(
  createComponentExtension({
    name: 'EntityAksBaselineClusterCard',
    component: {
      lazy: () =>
        import('./components/EntityAksBaselineClusterCard').then(
          m => m.EntityAksBaselineClusterCard,
        ),
    },
  }),
);

/**
 * The card for `Group` and `System` pages: the team's or system's score
 * (their entities taken together), its entities lowest score first, and the
 * trend of the lowest-scored ones.
 *
 * @public
 */
export const EntityAksBaselineGroupCard: (
  props: EntityAksBaselineGroupCardProps,
) => JSX.Element = aksBaselinePlugin.provide(
  createComponentExtension({
    name: 'EntityAksBaselineGroupCard',
    component: {
      lazy: () =>
        import('./components/EntityAksBaselineGroupCard').then(
          m => m.EntityAksBaselineGroupCard,
        ),
    },
  }),
);

/**
 * A homepage card: the services of the user's teams by AKS Baseline score,
 * lowest first.
 *
 * @public
 */
export const AksBaselineTeamsCard: (
  props: AksBaselineTeamsCardProps,
) => JSX.Element = aksBaselinePlugin.provide(
  createComponentExtension({
    name: 'AksBaselineTeamsCard',
    component: {
      lazy: () =>
        import('./components/AksBaselineTeamsCard').then(
          m => m.AksBaselineTeamsCard,
        ),
    },
  }),
);
