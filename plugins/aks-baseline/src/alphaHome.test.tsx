/*
 * The home page widget of /alpha: what it gives the home plugin's page
 * (name, title, layout) and what it draws there.
 */
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { RollupResponse } from '@aks-baseline/plugin-aks-baseline-common';
import plugin, { aksBaselineTeamsWidget } from './alpha';
import { aksBaselineApiRef } from './api';
import { API, setupMswServer, testClient } from './__testUtils__/render';
import { overviewResponse } from './__fixtures__/responses';

jest.setTimeout(30_000);

const SLOW = { timeout: 10_000 };

const server = setupMswServer();

const rollup = (owner: string): RollupResponse =>
  ({
    owner,
    score: null,
    grade: null,
    categories: [],
    totals: overviewResponse.owners[0].totals,
    counts: overviewResponse.owners[0].counts,
    stale: false,
    entityTotal: 2,
    entities: [
      ['payments-worker', 52, 'F'],
      ['checkout-api', 78, 'C'],
    ].map(([name, score, grade]) => ({
      ...overviewResponse.entities[0],
      entityRef: `component:default/${name}`,
      owner,
      score,
      grade,
    })),
  } as RollupResponse);

describe('the home page widget of /alpha', () => {
  it("is the plugin's widget for the home page", () => {
    // The id adopters configure in app-config.
    expect(
      plugin.getExtension('home-page-widget:aks-baseline/teams'),
    ).toBeDefined();
    const widget = createExtensionTester(aksBaselineTeamsWidget).get(
      HomePageWidgetBlueprint.dataRefs.widget,
    );
    expect(widget).toMatchObject({
      name: 'AksBaselineTeams',
      title: "Your teams' services by AKS Baseline score",
      layout: { width: { defaultColumns: 6, minColumns: 4 } },
    });
  });

  it("draws your teams' services, lowest score first, under its title", async () => {
    server.use(
      http.get(`${API}/rollup`, ({ request }) =>
        HttpResponse.json(
          rollup(new URL(request.url).searchParams.get('owner')!),
        ),
      ),
    );
    const widget = createExtensionTester(aksBaselineTeamsWidget, {
      apis: [[aksBaselineApiRef, testClient()]],
    }).get(HomePageWidgetBlueprint.dataRefs.widget);
    await renderInTestApp(widget.component, {
      apis: [
        [aksBaselineApiRef, testClient()],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/jane.doe',
            ownershipEntityRefs: [
              'user:default/jane.doe',
              'group:default/team-payments',
            ],
          }),
        ],
      ],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
    });
    expect(
      await screen.findByText(
        "Your teams' services by AKS Baseline score",
        undefined,
        SLOW,
      ),
    ).toBeInTheDocument();
    const list = await screen.findByRole(
      'list',
      { name: 'Services by score, lowest first' },
      SLOW,
    );
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      expect.stringMatching(/^payments-worker.*52$/),
      expect.stringMatching(/^checkout-api.*78$/),
    ]);
  });
});
