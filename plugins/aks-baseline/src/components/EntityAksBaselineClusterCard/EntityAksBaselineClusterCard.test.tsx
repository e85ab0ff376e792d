import { screen, within } from '@testing-library/react';
import { http } from 'msw';
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
    // Manual items are pointed at, not counted.
    expect(body).toHaveTextContent(
      '1 baseline item cannot be read from any API',
    );
    expect(
      screen.getByRole('link', { name: /Open the AKS Baseline overview/ }),
    ).toHaveAttribute('href', '/aks-baseline');
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
    expect(
      (await screen.findAllByText(/store unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
