import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { RuleEntitiesResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { FailingRulesTable } from './FailingRulesTable';
import {
  API,
  demoHandlers,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import { overviewResponse } from '../../__fixtures__/responses';

jest.setTimeout(30_000);

const server = setupMswServer();

const counts = (high: number) => ({
  failing: { critical: 0, high, medium: 0, low: 0 },
  waived: 0,
  unknown: 0,
  manual: 0,
  notApplicable: 0,
});

const failing: RuleEntitiesResponse = {
  ruleId: 'container-run-as-non-root',
  total: 2,
  items: [
    {
      entityRef: 'component:default/payments-worker',
      owner: 'group:default/team-payments',
      score: 52,
      grade: 'F',
      counts: counts(4),
      unknown: 0,
      clusters: ['aks-prod-westeurope'],
      evaluatedAt: new Date().toISOString(),
      stale: false,
      failures: 4,
    },
    {
      entityRef: 'component:default/checkout-api',
      owner: 'group:default/team-payments',
      score: 71,
      grade: 'C',
      counts: counts(1),
      unknown: 0,
      clusters: ['aks-prod-westeurope'],
      evaluatedAt: new Date().toISOString(),
      stale: false,
      failures: 1,
    },
  ],
};

describe('FailingRulesTable', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('opens the entities failing a rule, each linking to its findings of that rule, for the owner filtered on', async () => {
    const user = userEvent.setup();
    let asked: URL | undefined;
    server.use(
      http.get(`${API}/rules/:id/entities`, ({ request }) => {
        asked = new URL(request.url);
        return HttpResponse.json(failing);
      }),
    );
    await renderWithBackend(
      <FailingRulesTable
        overview={overviewResponse}
        owner="group:default/team-payments"
      />,
    );
    await user.click(
      screen.getByRole('button', {
        name: /show the entities that fail PS-02/,
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: /Entities failing PS-02 · Containers run as a non-root user/,
    });
    expect(asked?.pathname).toBe(
      '/api/aks-baseline/rules/container-run-as-non-root/entities',
    );
    expect(asked?.searchParams.get('owner')).toBe(
      'group:default/team-payments',
    );
    const open = await within(dialog).findByRole('link', {
      name: 'Open the 4 PS-02 findings of payments-worker',
    });
    expect(open).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-worker/aks-baseline?rule=container-run-as-non-root',
    );
    expect(
      within(dialog).getByRole('link', { name: 'checkout-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api');

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('says so when the backend cannot be reached', async () => {
    const user = userEvent.setup();
    server.use(
      http.get(`${API}/rules/:id/entities`, () => HttpResponse.error()),
    );
    await renderWithBackend(
      <FailingRulesTable overview={overviewResponse} owner="" />,
    );
    await user.click(
      screen.getByRole('button', {
        name: /show the entities that fail PS-02/,
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/cannot reach the AKS Baseline service/i),
    ).toBeInTheDocument();
  });
});
