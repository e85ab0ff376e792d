import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import plugin, {
  aksBaselineClusterCard,
  aksBaselineEntityCard,
  aksBaselineEntityContent,
  aksBaselineGroupCard,
  aksBaselinePage,
} from './alpha';
import { aksBaselineApiRef } from './api';
import {
  checkoutEntity,
  clusterEntity,
  demoHandlers,
  setupMswServer,
  testClient,
} from './__testUtils__/render';

jest.setTimeout(30_000);

/** Extensions load their components lazily, as in an app: slow on a busy machine. */
const SLOW = { timeout: 10_000 };

const server = setupMswServer();

describe('aks-baseline /alpha', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('is a frontend plugin with the api, cards, content and page', () => {
    expect(plugin.pluginId).toBe('aks-baseline');
    expect(plugin.routes.root).toBeDefined();
    // The ids adopters configure in app-config (type-checked by getExtension).
    for (const id of [
      'api:aks-baseline',
      'entity-card:aks-baseline/score',
      'entity-card:aks-baseline/cluster',
      'entity-card:aks-baseline/group',
      'entity-content:aks-baseline/findings',
      'page:aks-baseline',
    ] as const) {
      expect(plugin.getExtension(id)).toBeDefined();
    }
  });

  it('filters the entity card to annotated entities and services', () => {
    const filter = createExtensionTester(aksBaselineEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(checkoutEntity)).toBe(true);
    // A service without the annotations: the card asks for them.
    expect(
      filter({ ...checkoutEntity, metadata: { name: 'x', annotations: {} } }),
    ).toBe(true);
    expect(
      filter({
        ...checkoutEntity,
        metadata: { name: 'x', annotations: {} },
        spec: { ...checkoutEntity.spec, type: 'library' },
      }),
    ).toBe(false);
    expect(
      filter({
        ...checkoutEntity,
        metadata: {
          name: 'y',
          annotations: { 'backstage.io/kubernetes-label-selector': 'app=y' },
        },
      }),
    ).toBe(true);
  });

  it('filters the cluster card to kubernetes-cluster resources', () => {
    const filter = createExtensionTester(aksBaselineClusterCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(clusterEntity('aks-prod'))).toBe(true);
    expect(filter(checkoutEntity)).toBe(false);
  });

  it('filters the group card to groups and systems', () => {
    const filter = createExtensionTester(aksBaselineGroupCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    const of = (kind: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x' },
    });
    expect(filter(of('Group'))).toBe(true);
    expect(filter(of('System'))).toBe(true);
    expect(filter(of('Component'))).toBe(false);
    expect(filter(clusterEntity('aks-prod'))).toBe(false);
  });

  it('puts the entity content on kubernetes-cluster resources too', () => {
    const filter = createExtensionTester(aksBaselineEntityContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    // Even one without the cluster annotation (named like its cluster).
    expect(filter(clusterEntity('aks-prod-westeurope'))).toBe(true);
    expect(
      filter({
        ...clusterEntity('db'),
        spec: { type: 'database', owner: 'x' },
      }),
    ).toBe(false);
  });

  it('renders the entity card', async () => {
    const tester = createExtensionTester(aksBaselineEntityCard, {
      apis: [[aksBaselineApiRef, testClient()]],
    });
    await renderInTestApp(
      <EntityProvider entity={checkoutEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[aksBaselineApiRef, testClient()]] },
    );
    expect(
      await screen.findByTestId('aks-baseline-card-body', undefined, SLOW),
    ).toBeInTheDocument();
    expect(screen.getByTestId('aks-baseline-score')).toHaveTextContent('78');
  });

  it('renders the entity content at /aks-baseline', async () => {
    const tester = createExtensionTester(aksBaselineEntityContent, {
      apis: [[aksBaselineApiRef, testClient()]],
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/aks-baseline');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'AKS Baseline',
    );
    await renderInTestApp(
      <EntityProvider entity={checkoutEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[aksBaselineApiRef, testClient()]] },
    );
    expect(
      await screen.findByTestId('aks-baseline-findings', undefined, SLOW),
    ).toBeInTheDocument();
  });

  it('renders the cluster card', async () => {
    const tester = createExtensionTester(aksBaselineClusterCard, {
      apis: [[aksBaselineApiRef, testClient()]],
    });
    await renderInTestApp(
      <EntityProvider entity={clusterEntity('aks-prod', 'aks-prod-westeurope')}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[aksBaselineApiRef, testClient()]] },
    );
    expect(
      await screen.findByTestId('aks-baseline-cluster-body', undefined, SLOW),
    ).toBeInTheDocument();
  });

  it('renders the page at /aks-baseline', async () => {
    const tester = createExtensionTester(aksBaselinePage, {
      apis: [[aksBaselineApiRef, testClient()]],
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/aks-baseline');
    await renderInTestApp(tester.reactElement(), {
      apis: [
        [aksBaselineApiRef, testClient()],
        [catalogApiRef, catalogApiMock()],
      ],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
    });
    expect(
      await screen.findByRole(
        'region',
        { name: 'Cluster aks-prod-westeurope' },
        SLOW,
      ),
    ).toBeInTheDocument();
  });
});
