import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { EntityHistoryResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { prodFindings } from '../../__fixtures__/responses';
import { EntityAksBaselineContent } from '../EntityAksBaselineContent';
import { EntityAksBaselineClusterCard } from '../EntityAksBaselineClusterCard';
import {
  API,
  clusterEntity,
  demoHandlers,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';

const server = setupMswServer();
/** The first answer can take a while on a busy machine. */
const LOAD = { timeout: 10_000 };

jest.setTimeout(30_000);

const history: EntityHistoryResponse = {
  items: [
    {
      evaluatedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      score: 93,
      cluster: 'aks-prod-westeurope',
    },
    {
      evaluatedAt: new Date(Date.now() - 65 * 60_000).toISOString(),
      score: 81,
      cluster: 'aks-prod-westeurope',
    },
  ],
};

describe('the AKS Baseline tab of a cluster Resource', () => {
  beforeEach(() =>
    server.use(
      ...demoHandlers(),
      http.get(`${API}/clusters/:name/history`, () =>
        HttpResponse.json(history),
      ),
    ),
  );

  it("shows the cluster's score and history, every finding and the cluster checklist", async () => {
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: clusterEntity('aks-prod', 'aks-prod-westeurope'),
    });
    const content = await screen.findByTestId(
      'aks-baseline-cluster-content',
      {},
      LOAD,
    );
    const score = within(
      within(content).getByTestId('aks-baseline-section-score'),
    );
    expect(score.getByTestId('aks-baseline-score')).toHaveTextContent('93');
    expect(
      score.getByRole('img', {
        name: 'Score trend. aks-prod-westeurope: 81 to 93 over 2 runs, up 12 points.',
      }),
    ).toBeInTheDocument();

    // Every finding but the manual ones, workload findings included (the
    // card lists cluster-level rules only).
    const listed = prodFindings.filter(f => f.status !== 'manual');
    expect(
      await screen.findByText(
        `Showing ${listed.length} of ${listed.length} findings`,
        {},
        LOAD,
      ),
    ).toBeInTheDocument();
    const table = screen.getByTestId('aks-baseline-findings');
    expect(
      within(table).getByText('Containers set CPU and memory requests'),
    ).toBeInTheDocument();

    // The cluster-operations checklist.
    const manual = within(content).getByTestId('aks-baseline-section-manual');
    expect(
      within(manual).getByText(
        'Changes reach the cluster through a GitOps workflow',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('heading', { level: 2 }).map(h => h.textContent),
    ).toEqual(expect.arrayContaining(['Cluster score', 'By category']));
  });

  it('says when the backend has no such cluster', async () => {
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: clusterEntity('aks-gone'),
    });
    expect(
      await screen.findByText('Cluster aks-gone is not evaluated', {}, LOAD),
    ).toBeInTheDocument();
  });

  it("is where the cluster card's rules beyond the first few lead", async () => {
    await renderWithBackend(<EntityAksBaselineClusterCard maxRules={0} />, {
      entity: clusterEntity('aks-prod', 'aks-prod-westeurope'),
    });
    expect(
      await screen.findByRole(
        'link',
        { name: 'and 1 more in the AKS Baseline tab' },
        LOAD,
      ),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/aks-prod/aks-baseline',
    );
  });

  it('names the rest without a link when the app has no entity pages', async () => {
    await renderWithBackend(<EntityAksBaselineClusterCard maxRules={0} />, {
      entity: clusterEntity('aks-prod', 'aks-prod-westeurope'),
      bindRoutes: false,
    });
    expect(await screen.findByText('and 1 more', {}, LOAD)).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /more in the AKS Baseline tab/ }),
    ).not.toBeInTheDocument();
  });
});
