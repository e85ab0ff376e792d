import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { AksBaselinePage } from './AksBaselinePage';
import {
  API,
  demoHandlers,
  errorBody,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import {
  neverCluster,
  overviewResponse,
  partialCluster,
} from '../../__fixtures__/responses';

jest.setTimeout(30_000);

const server = setupMswServer();

describe('AksBaselinePage', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('shows clusters, teams ranked by score, rules failed most and entities', async () => {
    await renderWithBackend(<AksBaselinePage />);
    expect(
      await screen.findByRole('heading', { name: 'AKS Baseline' }),
    ).toBeInTheDocument();

    const prod = await screen.findByRole('region', {
      name: 'Cluster aks-prod-westeurope',
    });
    expect(within(prod).getByTestId('aks-baseline-score')).toHaveTextContent(
      '93',
    );
    expect(within(prod).getByText('Grade A · Excellent')).toBeInTheDocument();
    expect(within(prod).getAllByRole('progressbar')).toHaveLength(3);
    const dev = screen.getByRole('region', {
      name: 'Cluster aks-dev-koreacentral',
    });
    expect(within(dev).getByText('Grade F · Failing')).toBeInTheDocument();
    expect(within(dev).getByTestId('aks-baseline-stale')).toBeInTheDocument();
    expect(
      within(dev).getByTestId('aks-baseline-count-critical'),
    ).toHaveTextContent('2critical');

    const owners = within(screen.getByTestId('aks-baseline-owners'))
      .getAllByRole('row')
      .slice(1);
    expect(owners.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^1\.team-storefront2 entities.*B84$/),
      expect.stringMatching(/^2\.team-payments.*stale.*C71$/),
    ]);

    const rules = within(screen.getByTestId('aks-baseline-top-failing-rules'))
      .getAllByRole('row')
      .slice(1);
    expect(rules[0]).toHaveTextContent('Containers run as a non-root user');
    expect(rules[0]).toHaveTextContent('PS-02 · Pod security');
    expect(rules[0]).toHaveTextContent('High');
    expect(rules[0]).toHaveTextContent(/7\s*3\s*2$/);

    const entities = within(screen.getByTestId('aks-baseline-entities'));
    expect(
      entities.getByRole('link', { name: 'payments-worker' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-worker');

    const runs = within(screen.getByTestId('aks-baseline-evaluations'));
    expect(
      await runs.findByText('Kubernetes API answered 401 Unauthorized'),
    ).toBeInTheDocument();
  });

  it('links each tile to its cluster page, found by the aks-baseline.io/cluster annotation', async () => {
    await renderWithBackend(<AksBaselinePage />);
    const prod = await screen.findByRole('region', {
      name: 'Cluster aks-prod-westeurope',
    });
    // The catalog's Resource named after the cluster.
    expect(
      await within(prod).findByRole('link', { name: 'aks-prod-westeurope' }),
    ).toHaveAttribute('href', '/catalog/default/resource/aks-prod-westeurope');
    // A Resource of another name that stands for the cluster.
    const dev = screen.getByRole('region', {
      name: 'Cluster aks-dev-koreacentral',
    });
    expect(
      within(dev).getByRole('link', { name: 'aks-dev-koreacentral' }),
    ).toHaveAttribute('href', '/catalog/default/resource/aks-dev');
  });

  it('shows no cluster link for a cluster the catalog does not have', async () => {
    await renderWithBackend(<AksBaselinePage />, { catalogEntities: [] });
    const prod = await screen.findByRole('region', {
      name: 'Cluster aks-prod-westeurope',
    });
    expect(
      within(prod).getByRole('heading', { name: 'aks-prod-westeurope' }),
    ).toBeInTheDocument();
    expect(within(prod).queryByRole('link')).not.toBeInTheDocument();
  });

  it('explains the team scores and links to how they are computed', async () => {
    const user = userEvent.setup();
    await renderWithBackend(<AksBaselinePage />);
    const owners = await screen.findByTestId('aks-baseline-owners');
    expect(owners).toHaveTextContent('it is not the mean of their scores');
    await user.click(
      screen.getByRole('button', { name: 'How is this scored?' }),
    );
    expect(
      await screen.findByRole('dialog', { name: 'How is this scored?' }),
    ).toHaveTextContent('a service can be A overall and F in one category');
  });

  it('shows on the tiles what could not be checked, and a cluster never evaluated', async () => {
    const {
      failingRules: _f,
      facets: _ff,
      totalFindings: _t,
      ...partial
    } = partialCluster;
    const {
      failingRules: _n,
      facets: _nf,
      totalFindings: _nt,
      ...never
    } = neverCluster;
    server.use(
      http.get(`${API}/overview`, () =>
        HttpResponse.json({
          ...overviewResponse,
          clusters: [...overviewResponse.clusters, partial, never],
          entities: overviewResponse.entities.map(e => ({
            ...e,
            unknown: 12,
          })),
        }),
      ),
    );
    await renderWithBackend(<AksBaselinePage />);
    const partialTile = await screen.findByRole('region', {
      name: 'Cluster aks-lab-partial',
    });
    expect(
      within(partialTile).getByTestId('aks-baseline-unknown'),
    ).toHaveTextContent(
      '12 checks could not be made: ClusterRoleBinding could not be listed (forbidden (403)',
    );
    expect(
      within(partialTile).queryByTestId('aks-baseline-stale'),
    ).not.toBeInTheDocument();

    const neverTile = screen.getByRole('region', {
      name: 'Cluster aks-new-northeurope',
    });
    expect(
      within(neverTile).getByTestId('aks-baseline-never-evaluated'),
    ).toHaveTextContent(
      'failed: Kubernetes API returned 403 Forbidden listing deployments.apps',
    );
    expect(
      within(neverTile).queryByTestId('aks-baseline-score'),
    ).not.toBeInTheDocument();
    expect(
      within(neverTile).queryByTestId('aks-baseline-stale'),
    ).not.toBeInTheDocument();

    // A cluster with a current result and nothing unknown shows neither.
    const prod = screen.getByRole('region', {
      name: 'Cluster aks-prod-westeurope',
    });
    expect(
      within(prod).queryByTestId('aks-baseline-unknown'),
    ).not.toBeInTheDocument();

    const entities = within(screen.getByTestId('aks-baseline-entities'));
    expect(
      entities.getByRole('columnheader', { name: 'Not checked' }),
    ).toBeInTheDocument();
    expect(entities.getAllByRole('row')[1]).toHaveTextContent(/12/);
  });

  it('says when the backend capped the teams it lists', async () => {
    server.use(
      http.get(`${API}/overview`, () =>
        HttpResponse.json({ ...overviewResponse, ownerTotal: 700 }),
      ),
    );
    await renderWithBackend(<AksBaselinePage />);
    expect(
      await screen.findByText('Best first; showing 2 of 700'),
    ).toBeInTheDocument();
  });

  it('filters by owner', async () => {
    const user = userEvent.setup();
    const owners: (string | null)[] = [];
    server.use(
      http.get(`${API}/overview`, ({ request }) => {
        const owner = new URL(request.url).searchParams.get('owner');
        owners.push(owner);
        return HttpResponse.json(
          owner
            ? {
                ...overviewResponse,
                owner,
                owners: overviewResponse.owners.filter(o => o.owner === owner),
                ownerTotal: 1,
                entities: overviewResponse.entities.filter(
                  e => e.owner === owner,
                ),
              }
            : overviewResponse,
        );
      }),
    );
    await renderWithBackend(<AksBaselinePage />);
    await screen.findByRole('region', { name: 'Cluster aks-prod-westeurope' });
    const select = screen.getByLabelText('Owner');
    expect(
      within(select)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['All owners', 'team-payments', 'team-storefront']);
    await user.selectOptions(select, 'group:default/team-payments');
    await waitFor(() =>
      expect(screen.getByText('Filtered to team-payments')).toBeInTheDocument(),
    );
    expect(owners).toEqual([null, 'group:default/team-payments']);
    const rows = within(screen.getByTestId('aks-baseline-owners')).getAllByRole(
      'row',
    );
    expect(rows).toHaveLength(2);
    // The owner list stays complete while filtered.
    expect(within(select).getAllByRole('option')).toHaveLength(3);
  });

  it('keeps the owner filter in the URL', async () => {
    const owners: (string | null)[] = [];
    server.use(
      http.get(`${API}/overview`, ({ request }) => {
        owners.push(new URL(request.url).searchParams.get('owner'));
        return HttpResponse.json(overviewResponse);
      }),
    );
    await renderWithBackend(<AksBaselinePage />, {
      path: '/aks-baseline?owner=group:default/team-payments',
    });
    await screen.findByRole('region', { name: 'Cluster aks-prod-westeurope' });
    expect(owners).toEqual(['group:default/team-payments']);
    expect(screen.getByLabelText('Owner')).toHaveValue(
      'group:default/team-payments',
    );
    expect(screen.getByText('Filtered to team-payments')).toBeInTheDocument();
  });

  it('runs an evaluation when allowed', async () => {
    const user = userEvent.setup();
    let posted: unknown;
    server.use(
      http.post(`${API}/evaluations`, async ({ request }) => {
        posted = await request.json();
        return HttpResponse.json(
          {
            accepted: true,
            clusters: ['aks-prod-westeurope', 'aks-dev-koreacentral'],
          },
          { status: 202 },
        );
      }),
    );
    await renderWithBackend(<AksBaselinePage />);
    const button = await screen.findByRole('button', {
      name: 'Run evaluation',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    await waitFor(() => expect(posted).toEqual({}));
  });

  it('evaluates one cluster from its tile', async () => {
    const user = userEvent.setup();
    let posted: unknown;
    server.use(
      http.post(`${API}/evaluations`, async ({ request }) => {
        posted = await request.json();
        return HttpResponse.json(
          { accepted: true, clusters: ['aks-dev-koreacentral'], runId: 'r9' },
          { status: 202 },
        );
      }),
    );
    await renderWithBackend(<AksBaselinePage />);
    const button = await screen.findByRole('button', {
      name: 'Evaluate aks-dev-koreacentral now',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    await waitFor(() =>
      expect(posted).toEqual({ cluster: 'aks-dev-koreacentral' }),
    );
  });

  it('disables the button after the backend answers 403', async () => {
    const user = userEvent.setup();
    server.use(
      http.post(`${API}/evaluations`, () =>
        errorBody(403, 'NotAllowedError', 'not allowed'),
      ),
    );
    await renderWithBackend(<AksBaselinePage />);
    const button = await screen.findByRole('button', {
      name: 'Run evaluation',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await user.click(button);
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Run evaluation' }),
      ).toBeDisabled(),
    );
  });

  it('says the service failed to answer on a server error from the overview route', async () => {
    server.use(
      http.get(`${API}/overview`, () => errorBody(500, 'Error', 'boom')),
    );
    await renderWithBackend(<AksBaselinePage />);
    const error = await screen.findByTestId('aks-baseline-service-error');
    expect(error).toHaveTextContent(
      'The AKS Baseline service failed to answer',
    );
    expect(error).toHaveTextContent('boom');
  });

  it('says the service cannot be reached, and retries', async () => {
    const user = userEvent.setup();
    let down = true;
    server.use(
      http.get(`${API}/overview`, () =>
        down ? HttpResponse.error() : HttpResponse.json(overviewResponse),
      ),
    );
    await renderWithBackend(<AksBaselinePage />);
    const error = await screen.findByTestId('aks-baseline-service-error');
    expect(error).toHaveTextContent(
      'The portal cannot reach the AKS Baseline service',
    );
    down = false;
    await user.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('region', {
        name: 'Cluster aks-prod-westeurope',
      }),
    ).toBeInTheDocument();
  });

  it('says when no cluster has been evaluated', async () => {
    server.use(
      http.get(`${API}/overview`, () =>
        HttpResponse.json({
          clusters: [],
          owners: [],
          topFailingRules: [],
          entities: [],
          entityTotal: 0,
        }),
      ),
    );
    await renderWithBackend(<AksBaselinePage />);
    expect(
      await screen.findByText('No cluster evaluated yet'),
    ).toBeInTheDocument();
  });
});
