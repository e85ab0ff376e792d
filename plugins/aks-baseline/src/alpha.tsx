/**
 * The AKS Baseline plugin for Backstage's new frontend system:
 * `import aksBaselinePlugin from '@aks-baseline/plugin-aks-baseline/alpha'`.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { aksBaselineApiRef, AksBaselineClient } from './api';
import {
  catalogEntityRouteRef,
  overviewRouteRef,
  rootRouteRef,
  scaffolderTemplateRouteRef,
} from './routes';
import {
  AKS_BASELINE_CLUSTER_ANNOTATION,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from './conditions';

/** @alpha */
export const aksBaselineApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: aksBaselineApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AksBaselineClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
export const aksBaselineEntityCard = EntityCardBlueprint.make({
  name: 'score',
  params: {
    filter: {
      $any: [
        // A service without the annotations gets the card too: it says how to add them.
        { kind: 'component', 'spec.type': 'service' },
        {
          [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: {
            $exists: true,
          },
        },
        {
          [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]: {
            $exists: true,
          },
        },
      ],
    },
    loader: () =>
      import('./components/EntityAksBaselineCard').then(m =>
        compatWrapper(<m.EntityAksBaselineCard />),
      ),
  },
});

/** @alpha */
export const aksBaselineClusterCard = EntityCardBlueprint.make({
  name: 'cluster',
  params: {
    filter: {
      kind: 'resource',
      'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
    },
    loader: () =>
      import('./components/EntityAksBaselineClusterCard').then(m =>
        compatWrapper(<m.EntityAksBaselineClusterCard />),
      ),
  },
});

/** @alpha */
export const aksBaselineGroupCard = EntityCardBlueprint.make({
  name: 'group',
  params: {
    filter: { $any: [{ kind: 'group' }, { kind: 'system' }] },
    loader: () =>
      import('./components/EntityAksBaselineGroupCard').then(m =>
        compatWrapper(<m.EntityAksBaselineGroupCard />),
      ),
  },
});

/** @alpha */
export const aksBaselineEntityContent = EntityContentBlueprint.make({
  name: 'findings',
  params: {
    path: '/aks-baseline',
    title: 'AKS Baseline',
    filter: {
      $any: [
        // A service without the annotations gets the tab too: it says how to add them.
        { kind: 'component', 'spec.type': 'service' },
        {
          [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: {
            $exists: true,
          },
        },
        {
          [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]: {
            $exists: true,
          },
        },
        {
          [`metadata.annotations.${AKS_BASELINE_CLUSTER_ANNOTATION}`]: {
            $exists: true,
          },
        },
        // A cluster Resource: the cluster's findings, checklist and history.
        { kind: 'resource', 'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE },
      ],
    },
    loader: () =>
      import('./components/EntityAksBaselineContent').then(m =>
        compatWrapper(<m.EntityAksBaselineContent />),
      ),
  },
});

/** @alpha */
export const aksBaselinePage = PageBlueprint.make({
  params: {
    path: '/aks-baseline',
    title: 'AKS Baseline',
    icon: <VerifiedUserIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/AksBaselinePage').then(m =>
        compatWrapper(<m.AksBaselinePage />),
      ),
  },
});

/**
 * The home page widget: your teams' services by score, lowest first. It
 * attaches to the home plugin's page (`page:home`), which draws its frame
 * and title. The catalog table's score column has no extension point in
 * the new frontend system: see the README.
 *
 * @alpha
 */
export const aksBaselineTeamsWidget = HomePageWidgetBlueprint.make({
  name: 'teams',
  params: {
    // What a home page's `defaultConfig` names it by.
    name: 'AksBaselineTeams',
    title: "Your teams' services by AKS Baseline score",
    description:
      'The services your teams own, lowest AKS Baseline score first, linked to their pages.',
    layout: {
      width: { defaultColumns: 6, minColumns: 4 },
      height: { defaultRows: 4, minRows: 3 },
    },
    components: () =>
      import('./components/AksBaselineTeamsCard').then(m => ({
        Content: () => compatWrapper(<m.AksBaselineTeamsContent />),
      })),
  },
});

/**
 * The AKS Baseline frontend plugin (new frontend system).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'aks-baseline',
  title: 'AKS Baseline',
  icon: <VerifiedUserIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
  },
  externalRoutes: {
    catalogEntity: convertLegacyRouteRef(catalogEntityRouteRef),
    overview: convertLegacyRouteRef(overviewRouteRef),
    scaffolderTemplate: convertLegacyRouteRef(scaffolderTemplateRouteRef),
  },
  extensions: [
    aksBaselineApi,
    aksBaselineEntityCard,
    aksBaselineClusterCard,
    aksBaselineGroupCard,
    aksBaselineEntityContent,
    aksBaselinePage,
    aksBaselineTeamsWidget,
  ],
});
