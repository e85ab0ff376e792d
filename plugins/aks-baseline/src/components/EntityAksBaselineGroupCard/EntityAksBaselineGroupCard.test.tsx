import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Entity } from '@backstage/catalog-model';
import { RollupResponse } from '@aks-baseline/plugin-aks-baseline-common';
import {
  checkoutHistory,
  overviewResponse,
} from '../../__fixtures__/responses';
import { EntityAksBaselineGroupCard } from './EntityAksBaselineGroupCard';
import {
  API,
  clusterEntity,
  demoHandlers,
  errorBody,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';

const server = setupMswServer();
/** The first answer can take a while on a busy machine. */
const LOAD = { timeout: 10_000 };

jest.setTimeout(30_000);

const team: Entity = {
  apiVersion: 'backstage.io/v1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'online-store', namespace: 'default' },
  spec: { owner: 'team-storefront' },
  relations: [
    { type: 'hasPart', targetRef: 'component:default/checkout-api' },
    { type: 'hasPart', targetRef: 'component:default/payments-worker' },
    { type: 'ownedBy', targetRef: 'group:default/team-storefront' },
  ],
};

/** team-payments' row and entities of the overview fixture, as the rollup gives them. */
const row = overviewResponse.owners[1];
const rollup: RollupResponse = {
  owner: row.owner,
  score: row.score,
  grade: row.grade,
  categories: row.categories,
  totals: row.totals,
  counts: row.counts,
  entities: overviewResponse.entities,
  entityTotal: overviewResponse.entities.length,
  stale: false,
};

describe('EntityAksBaselineGroupCard', () => {
  let asked: URLSearchParams[];
  beforeEach(() => {
    asked = [];
    server.use(
      ...demoHandlers(),
      http.get(`${API}/rollup`, ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json(rollup);
      }),
      http.get(`${API}/entities/:ns/:kind/:name/history`, () =>
        HttpResponse.json(checkoutHistory),
      ),
    );
  });

  it("shows a team's score, its entities lowest first (linked) and says why it is not the mean", async () => {
    await renderWithBackend(<EntityAksBaselineGroupCard />, { entity: team });
    const body = await screen.findByTestId('aks-baseline-group-body', {}, LOAD);
    expect(asked.map(q => q.get('owner'))).toEqual([
      'group:default/team-payments',
    ]);
    const b = within(body);
    expect(b.getByTestId('aks-baseline-score')).toHaveTextContent('71');
    expect(b.getByText(/Grade C/)).toBeInTheDocument();
    expect(body).toHaveTextContent(
      "The team's score adds up the checks of all its entities, weighted by severity; it is not the mean of their scores.",
    );
    const list = b.getByRole('list', { name: 'Entities, lowest score first' });
    const links = within(list).getAllByRole('link');
    expect(links.map(l => l.textContent)).toEqual(
      overviewResponse.entities.map(e => e.entityRef.split('/')[1]),
    );
    expect(links[0]).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-worker',
    );
    // The lowest-scored entities' trend, one line each.
    expect(
      b.getByRole('img', { name: /Score trend\. payments-worker on/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 2, name: 'AKS Baseline' }),
    ).toBeInTheDocument();
  });

  it("asks for a system's parts from its hasPart relations", async () => {
    await renderWithBackend(<EntityAksBaselineGroupCard />, {
      entity: system,
    });
    await screen.findByTestId('aks-baseline-group-body', {}, LOAD);
    expect(asked.map(q => q.get('entity'))).toEqual([
      'component:default/checkout-api,component:default/payments-worker',
    ]);
    expect(screen.getByText('System score')).toBeInTheDocument();
    expect(
      screen.getByText(/The system's score adds up the checks/),
    ).toBeInTheDocument();
  });

  it("lists a system's cluster apart, out of its pooled score (no check counted twice)", async () => {
    await renderWithBackend(<EntityAksBaselineGroupCard />, {
      entity: {
        ...system,
        relations: [
          ...system.relations!,
          {
            type: 'hasPart',
            targetRef: 'resource:default/aks-prod-westeurope',
          },
        ],
      },
      catalogEntities: [
        clusterEntity('aks-prod-westeurope', 'aks-prod-westeurope'),
      ],
    });
    const body = await screen.findByTestId('aks-baseline-group-body', {}, LOAD);
    expect(asked.map(q => q.get('entity'))).toEqual([
      'component:default/checkout-api,component:default/payments-worker',
      'resource:default/aks-prod-westeurope',
    ]);
    expect(
      within(body).getByRole('list', { name: 'Clusters in this system' }),
    ).toBeInTheDocument();
    expect(body).toHaveTextContent(
      "Each cluster has its own score, not added to the system's",
    );
  });

  it('says so when a system has no parts, without asking the backend', async () => {
    await renderWithBackend(<EntityAksBaselineGroupCard />, {
      entity: { ...system, relations: [] },
    });
    expect(await screen.findByText('No parts', {}, LOAD)).toBeInTheDocument();
    expect(asked).toEqual([]);
  });

  it('says when nothing of the team is scored', async () => {
    server.use(
      http.get(`${API}/rollup`, () =>
        HttpResponse.json({
          ...rollup,
          score: null,
          grade: null,
          entities: [],
          entityTotal: 0,
        }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineGroupCard />, { entity: team });
    expect(
      await screen.findByTestId('aks-baseline-group-empty', {}, LOAD),
    ).toHaveTextContent('No scored entity of this team that you may see');
  });

  it('offers a retry when the backend cannot be reached', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/rollup`, () => {
        calls += 1;
        return calls === 1
          ? errorBody(503, 'ServiceUnavailableError', 'down')
          : HttpResponse.json(rollup);
      }),
    );
    await renderWithBackend(<EntityAksBaselineGroupCard />, { entity: team });
    await userEvent.click(
      await screen.findByRole('button', { name: /retry/i }, LOAD),
    );
    expect(
      await screen.findByTestId('aks-baseline-group-body', {}, LOAD),
    ).toBeInTheDocument();
  });
});
