import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { mockApis } from '@backstage/test-utils';
import { EntityAksBaselineContent } from './EntityAksBaselineContent';
import {
  API,
  checkoutEntity,
  demoHandlers,
  errorBody,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import {
  checkoutScore,
  CRB_FORBIDDEN,
  partialCluster,
} from '../../__fixtures__/responses';

// Material Table renders slowly in jsdom.
jest.setTimeout(30_000);

const server = setupMswServer();
const SCORE = `${API}/entities/default/component/checkout-api/score`;

function rowTexts() {
  const table = within(screen.getByTestId('aks-baseline-findings'));
  return table
    .getAllByRole('row')
    .slice(1) // header
    .map(row => row.textContent ?? '');
}

async function renderTab() {
  const result = await renderWithBackend(<EntityAksBaselineContent />, {
    entity: checkoutEntity,
  });
  await screen.findByTestId('aks-baseline-findings');
  return result;
}

describe('EntityAksBaselineContent', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('lists every finding, failures first, with summary and breakdown', async () => {
    await renderTab();
    expect(screen.getByTestId('aks-baseline-findings-count')).toHaveTextContent(
      'Showing 5 of 5 findings',
    );
    const rows = rowTexts();
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/^HighFailingNamespace has a default-deny ingress/);
    expect(rows[1]).toMatch(/^HighFailingContainers run as a non-root user/);
    expect(rows[2]).toMatch(
      /^MediumFailingContainers set CPU and memory requests/,
    );
    expect(rows[3]).toMatch(/UnknownContainer images are pinned/);
    expect(rows[4]).toMatch(/WaivedProduction Deployments/);

    // Score summary and categories.
    expect(screen.getByTestId('aks-baseline-score')).toHaveTextContent('78');
    expect(
      screen.getByText(
        /17 checks passed, 3 failed, 1 waived, 1 could not be made/,
      ),
    ).toBeInTheDocument();

    // Per-cluster breakdown.
    const breakdown = within(
      screen.getByTestId('aks-baseline-cluster-breakdown'),
    );
    const clusterRows = breakdown.getAllByRole('row').slice(1);
    expect(clusterRows).toHaveLength(2);
    expect(clusterRows[0]).toHaveTextContent('aks-prod-westeurope');
    expect(clusterRows[0]).toHaveTextContent('92');
    expect(
      within(clusterRows[1]).getByRole('img', { name: 'Grade D' }),
    ).toBeInTheDocument();
    expect(clusterRows[1]).toHaveTextContent(
      '0 critical · 2 high · 0 medium · 0 low',
    );
  });

  it('says how many checks could not be made and why, above the findings and per cluster', async () => {
    const unknownFinding = partialCluster.findings[0];
    server.use(
      http.get(SCORE, () =>
        HttpResponse.json({
          ...checkoutScore,
          totals: { ...checkoutScore.totals, unknown: 2 },
          findings: [...checkoutScore.findings, unknownFinding],
          clusters: [
            {
              ...checkoutScore.clusters[0],
              totals: { ...checkoutScore.clusters[0].totals, unknown: 1 },
              unreadableKinds: partialCluster.unreadableKinds,
            },
            checkoutScore.clusters[1],
          ],
        }),
      ),
    );
    await renderTab();
    expect(screen.getByTestId('aks-baseline-unknown')).toHaveTextContent(
      `2 checks could not be made: aks-prod-westeurope: ClusterRoleBinding could not be listed (${CRB_FORBIDDEN}).`,
    );
    expect(
      screen.getByText(
        /17 checks passed, 3 failed, 1 waived, 2 could not be made/,
      ),
    ).toBeInTheDocument();
    // The rule-level finding is listed with the others, as Unknown.
    expect(rowTexts().some(r => /Unknown/.test(r) && /ID-08/.test(r))).toBe(
      true,
    );
    const breakdown = within(
      screen.getByTestId('aks-baseline-cluster-breakdown'),
    );
    const prodRow = breakdown.getAllByRole('row')[1];
    expect(prodRow).toHaveTextContent('ClusterRoleBinding unreadable');
  });

  it('filters by severity, category, cluster, namespace and status', async () => {
    const user = userEvent.setup();
    await renderTab();

    await user.selectOptions(screen.getByLabelText('Severity'), 'medium');
    expect(rowTexts()).toHaveLength(1);
    expect(rowTexts()[0]).toContain('Containers set CPU and memory requests');
    expect(screen.getByTestId('aks-baseline-findings-count')).toHaveTextContent(
      'Showing 1 of 5 findings',
    );

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(rowTexts()).toHaveLength(5);

    await user.selectOptions(screen.getByLabelText('Category'), 'networking');
    expect(rowTexts()).toHaveLength(1);
    expect(rowTexts()[0]).toContain('default-deny');
    await user.selectOptions(screen.getByLabelText('Category'), '');

    await user.selectOptions(
      screen.getByLabelText('Cluster'),
      'aks-prod-westeurope',
    );
    expect(rowTexts()).toHaveLength(2);
    await user.selectOptions(screen.getByLabelText('Cluster'), '');

    await user.selectOptions(
      screen.getByLabelText('Namespace'),
      '(cluster-scoped)',
    );
    expect(rowTexts()).toHaveLength(1);
    expect(rowTexts()[0]).toContain('Namespace');
    await user.selectOptions(screen.getByLabelText('Namespace'), '');

    await user.selectOptions(screen.getByLabelText('Status'), 'waived');
    expect(rowTexts()).toHaveLength(1);
    expect(rowTexts()[0]).toContain('checkout-api-migrations');

    // Combined filters that match nothing say so.
    await user.selectOptions(screen.getByLabelText('Severity'), 'medium');
    expect(screen.getByTestId('aks-baseline-findings-empty')).toHaveTextContent(
      'No finding matches these filters.',
    );
  });

  it('offers only the values present, with counts', async () => {
    await renderTab();
    const severity = screen.getByLabelText('Severity');
    expect(
      within(severity)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['All severities', 'High (4)', 'Medium (1)']);
    const status = screen.getByLabelText('Status');
    expect(
      within(status)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['All statuses', 'Failing (3)', 'Waived (1)', 'Unknown (1)']);
  });

  it('searches rule, key, resource and message', async () => {
    const user = userEvent.setup();
    await renderTab();
    const search = screen.getByLabelText('Search findings');
    await user.type(search, 'migrations');
    expect(rowTexts()).toHaveLength(1);
    await user.clear(search);
    await user.type(search, 'ps-02');
    expect(rowTexts()).toHaveLength(1);
    expect(rowTexts()[0]).toContain('non-root');
    await user.clear(search);
    await user.type(search, 'forbidden');
    expect(rowTexts()[0]).toContain('Container images are pinned');
  });

  it('opens a row: evidence, rationale, copyable fix, baseline key', async () => {
    const user = userEvent.setup();
    await renderTab();
    await user.click(
      screen.getByText('Containers set CPU and memory requests'),
    );
    const details = await screen.findByTestId('aks-baseline-finding-details');
    const d = within(details);
    expect(
      d.getByText('Container worker sets no memory request.'),
    ).toBeInTheDocument();
    const evidence = d.getByRole('table', { name: 'Evidence' });
    expect(evidence).toHaveTextContent(
      'spec.template.spec.containers[0].resources.requests.memory(not set)a memory request, e.g. 128Mi',
    );
    expect(d.getByText(/Requests are what the scheduler/)).toBeInTheDocument();
    expect(d.getByTestId('aks-baseline-baseline-key')).toHaveTextContent(
      'RS-01 — Every container sets CPU and memory requests',
    );
    // The fix, with a copy button.
    expect(await d.findByText(/memory: 128Mi/)).toBeInTheDocument();
    expect(d.getByRole('button', { name: 'Copy text' })).toBeInTheDocument();
  });

  it('copies the remediation', async () => {
    const user = userEvent.setup();
    const execCommand = jest.fn().mockReturnValue(true);
    Object.defineProperty(document, 'execCommand', {
      value: execCommand,
      configurable: true,
    });
    await renderTab();
    await user.click(
      screen.getByText(/^Production Deployments and StatefulSets/),
    );
    const details = await screen.findByTestId('aks-baseline-finding-details');
    expect(
      await within(details).findByText(/kubectl scale deployment myapp/),
    ).toBeInTheDocument();
    await user.click(
      within(details).getByRole('button', { name: 'Copy text' }),
    );
    await waitFor(() => expect(execCommand).toHaveBeenCalledWith('copy'));
    expect(
      await screen.findByText('Text copied to clipboard'),
    ).toBeInTheDocument();
  });

  it('shows the waiver: who, why, until', async () => {
    const user = userEvent.setup();
    await renderTab();
    await user.click(
      screen.getByText(/^Production Deployments and StatefulSets/),
    );
    const waiver = await screen.findByTestId('aks-baseline-waiver');
    expect(waiver).toHaveTextContent(
      'Why: Schema migrations must run as a single instance',
    );
    expect(waiver).toHaveTextContent(
      'Who: team-payments (annotation on the object)',
    );
    expect(waiver).toHaveTextContent('Until: 30 Sept 2026');
  });

  it('shows manual items as a checklist the owner confirms, stored per entity', async () => {
    const user = userEvent.setup();
    const storageApi = mockApis.storage();
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
      storageApi,
    });
    const checklist = await screen.findByTestId(
      'aks-baseline-manual-checklist',
    );
    const box = within(checklist).getByRole('checkbox', {
      name: /Changes reach the cluster through a GitOps workflow/,
    });
    expect(box).not.toBeChecked();
    expect(checklist).toHaveTextContent('Not confirmed yet');
    // Manual items are never rows of the findings table.
    expect(rowTexts().some(r => r.includes('GitOps'))).toBe(false);

    await user.click(box);
    await waitFor(() => expect(box).toBeChecked());
    expect(checklist).toHaveTextContent('Confirmed by jane.doe on');
    const stored = storageApi
      .forBucket('aks-baseline')
      .snapshot('manual-checklist:component:default/checkout-api').value as any;
    expect(stored['gitops-workflow'].by).toBe('user:default/jane.doe');
    expect(screen.getByText(/1 of 1 confirmed/)).toBeInTheDocument();
  });

  it('shows the not-evaluated state', async () => {
    server.use(
      http.get(SCORE, () =>
        errorBody(404, 'NotFoundError', 'x', { reason: 'not-evaluated' }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
    });
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
  });

  it('shows errors', async () => {
    server.use(http.get(SCORE, () => HttpResponse.error()));
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
    });
    expect(
      await screen.findByText('Error: Failed to fetch'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('aks-baseline-findings'),
    ).not.toBeInTheDocument();
  });

  it('asks for the annotation when the entity has none', async () => {
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: { ...checkoutEntity, metadata: { name: 'x', annotations: {} } },
    });
    expect(
      await screen.findByText('backstage.io/kubernetes-id'),
    ).toBeInTheDocument();
  });
});
