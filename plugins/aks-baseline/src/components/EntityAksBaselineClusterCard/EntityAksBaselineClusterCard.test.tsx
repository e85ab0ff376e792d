import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { devCluster, devFindings } from '../../__fixtures__/responses';
import { findingsPage, prepared } from '../../__fixtures__/findingsPages';
import { EntityAksBaselineClusterCard } from './EntityAksBaselineClusterCard';
import {
  API,
  clusterEntity,
  demoHandlers,
  errorBody,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';

const server = setupMswServer();

describe('EntityAksBaselineClusterCard', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('shows the cluster score and its cluster-level rules only', async () => {
    await renderWithBackend(<EntityAksBaselineClusterCard />, {
      entity: clusterEntity('aks-prod', 'aks-prod-westeurope'),
    });
    const body = await screen.findByTestId('aks-baseline-cluster-body');
    const b = within(body);
    expect(b.getByTestId('aks-baseline-score')).toHaveTextContent('93');
    expect(b.getByText('Grade A · Excellent')).toBeInTheDocument();
    expect(b.getByText('production')).toBeInTheDocument();
    expect(b.getByText('source: snapshot')).toBeInTheDocument();
    expect(
      b.getByText('412 objects · 84 rules · 1,210 checks'),
    ).toBeInTheDocument();

    const rules = b.getByRole('list', { name: 'Cluster-level rules failing' });
    const items = within(rules).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent(
      'An auto-upgrade channel is set (stable recommended) CL-16',
    );
    expect(items[0]).toHaveTextContent('ManagedCluster aks-prod-westeurope');
    expect(items[0]).toHaveTextContent(
      'Fix: Set the auto-upgrade channel to stable',
    );
    // A workload finding on the same cluster is not a cluster-level rule.
    expect(body).not.toHaveTextContent(
      'Containers set CPU and memory requests',
    );
    // Manual items are pointed at (the cluster's count of them), not listed.
    expect(body).toHaveTextContent(
      '7 baseline items cannot be read from any API',
    );
    expect(
      screen.getByRole('link', { name: /Open the AKS Baseline overview/ }),
    ).toHaveAttribute('href', '/aks-baseline');
    expect(
      screen.getByRole('heading', { level: 2, name: 'AKS Baseline' }),
    ).toBeInTheDocument();
  });

  it('shows no overview link when the app has no overview page', async () => {
    await renderWithBackend(<EntityAksBaselineClusterCard />, {
      entity: clusterEntity('aks-prod', 'aks-prod-westeurope'),
      bindRoutes: false,
    });
    await screen.findByTestId('aks-baseline-cluster-body');
    expect(
      screen.queryByRole('link', { name: /Open the AKS Baseline overview/ }),
    ).not.toBeInTheDocument();
  });

  it('warns when the cluster result is stale and lists node pool rules', async () => {
    await renderWithBackend(<EntityAksBaselineClusterCard />, {
      entity: clusterEntity('aks-dev-koreacentral'),
    });
    expect(await screen.findByTestId('aks-baseline-stale')).toHaveTextContent(
      'Kubernetes API answered 401 Unauthorized',
    );
    expect(screen.getByText('Grade F · Failing')).toBeInTheDocument();
    expect(
      screen.getByText('Cluster autoscaler is enabled on every User node pool'),
    ).toBeInTheDocument();
    expect(screen.getByText(/AgentPool userpool1/)).toBeInTheDocument();
  });

  it('pages through the objects of a rule that fails on many', async () => {
    const user = userEvent.setup();
    const pools: Finding[] = Array.from({ length: 55 }, (_, i) => ({
      ...devFindings[0],
      resource: {
        kind: 'AgentPool',
        name: `pool${String(i).padStart(2, '0')}`,
      },
    }));
    const asked: string[] = [];
    server.use(
      http.get(`${API}/clusters/aks-dev-koreacentral`, () =>
        HttpResponse.json({ ...devCluster, ...prepared(pools) }),
      ),
      http.get(
        `${API}/clusters/aks-dev-koreacentral/findings`,
        ({ request }) => {
          asked.push(decodeURIComponent(new URL(request.url).search));
          return HttpResponse.json(findingsPage(pools, request.url));
        },
      ),
    );
    await renderWithBackend(<EntityAksBaselineClusterCard />, {
      entity: clusterEntity('aks-dev-koreacentral'),
    });
    const rules = await screen.findByRole('list', {
      name: 'Cluster-level rules failing',
    });
    expect(rules).toHaveTextContent(
      'AgentPool pool00, AgentPool pool01, AgentPool pool02 and 52 more',
    );
    await user.click(
      within(rules).getByRole('button', { name: 'and 52 more' }),
    );
    await waitFor(() => expect(rules).toHaveTextContent('AgentPool pool49'));
    expect(rules).not.toHaveTextContent('AgentPool pool50');
    await user.click(
      within(rules).getByRole('button', { name: 'Show more (5 left)' }),
    );
    await waitFor(() => expect(rules).toHaveTextContent('AgentPool pool54'));
    expect(
      within(rules).queryByRole('button', { name: /Show more/ }),
    ).not.toBeInTheDocument();
    expect(asked).toEqual([
      '?status=fail&rule=user-pool-autoscaler-enabled&limit=50',
      '?status=fail&rule=user-pool-autoscaler-enabled&limit=50&cursor=c1.50',
    ]);
  });

  it('shows how many checks could not be made, and which kind could not be listed', async () => {
    await renderWithBackend(<EntityAksBaselineClusterCard />, {
      entity: clusterEntity('aks-lab-partial'),
    });
    const body = await screen.findByTestId('aks-baseline-cluster-body');
    expect(within(body).getByTestId('aks-baseline-score')).toHaveTextContent(
      '93',
    );
    expect(within(body).getByTestId('aks-baseline-unknown')).toHaveTextContent(
      '12 checks could not be made: ClusterRoleBinding could not be listed (forbidden (403): the identity cannot list clusterrolebindings.rbac.authorization.k8s.io',
    );
    expect(screen.queryByTestId('aks-baseline-stale')).not.toBeInTheDocument();
  });

  it('says never evaluated, with the error, instead of an empty score', async () => {
    await renderWithBackend(<EntityAksBaselineClusterCard />, {
      entity: clusterEntity('aks-new-northeurope'),
    });
    const notice = await screen.findByTestId('aks-baseline-never-evaluated');
    expect(notice).toHaveTextContent(
      'Never evaluated: no evaluation of this cluster has succeeded yet',
    );
    expect(notice).toHaveTextContent(
      'failed: Kubernetes API returned 403 Forbidden listing deployments.apps',
    );
    expect(screen.queryByTestId('aks-baseline-score')).not.toBeInTheDocument();
    expect(screen.queryByTestId('aks-baseline-stale')).not.toBeInTheDocument();
  });

  it('says when the backend does not know the cluster', async () => {
    await renderWithBackend(<EntityAksBaselineClusterCard />, {
      entity: clusterEntity('aks-unknown'),
    });
    expect(
      await screen.findByText('Cluster aks-unknown is not evaluated'),
    ).toBeInTheDocument();
  });

  it('shows other errors', async () => {
    server.use(
      http.get(`${API}/clusters/aks-prod-westeurope`, () =>
        errorBody(500, 'Error', 'store unavailable'),
      ),
    );
    await renderWithBackend(<EntityAksBaselineClusterCard />, {
      entity: clusterEntity('aks-prod', 'aks-prod-westeurope'),
    });
    const error = await screen.findByTestId('aks-baseline-service-error');
    expect(error).toHaveTextContent(
      'The AKS Baseline service failed to answer',
    );
    expect(error).toHaveTextContent('store unavailable');
    expect(
      within(error).getByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
  });
});
