import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { useApi } from '@backstage/core-plugin-api';
import { PassedChecksResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { FindingsTable } from './FindingsTable';
import {
  API,
  demoHandlers,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import { checkoutScore, rulesResponse } from '../../__fixtures__/responses';

jest.setTimeout(60_000);

const server = setupMswServer();
const rules = new Map(rulesResponse.items.map(r => [r.id, r]));
const CHECKOUT = {
  kind: 'component',
  namespace: 'default',
  name: 'checkout-api',
};

const passed: PassedChecksResponse = {
  items: [
    { cluster: 'aks-dev-koreacentral', category: 'pod-security', passed: 14 },
    { cluster: 'aks-prod-westeurope', category: 'pod-security', passed: 12 },
    { cluster: 'aks-prod-westeurope', category: 'availability', passed: 3 },
  ],
  total: 29,
};

function CheckoutFindings() {
  const api = useApi(aksBaselineApiRef);
  return (
    <FindingsTable
      load={q => api.getEntityFindings(CHECKOUT, q)}
      facets={checkoutScore.facets}
      rules={rules}
      passedOf={{ entity: CHECKOUT }}
    />
  );
}

describe('passed checks beside the findings', () => {
  let asked = 0;
  beforeEach(() => {
    asked = 0;
    server.use(
      ...demoHandlers(),
      http.get(`${API}/entities/default/component/checkout-api/passed`, () => {
        asked++;
        return HttpResponse.json(passed);
      }),
    );
  });

  it('lists them, by cluster and category, once the toggle is on', async () => {
    const user = userEvent.setup();
    await renderWithBackend(<CheckoutFindings />);
    const toggle = await screen.findByRole('checkbox', {
      name: 'Show passed checks',
    });
    expect(toggle).not.toBeChecked();
    expect(screen.queryByTestId('aks-baseline-passed')).not.toBeInTheDocument();
    expect(asked).toBe(0);

    await user.click(toggle);
    const section = await screen.findByRole('region', {
      name: 'Passed checks (29)',
    });
    const rows = within(section).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'aks-dev-koreacentralPod security14',
      'aks-prod-westeuropePod security12',
      'aks-prod-westeuropeAvailability3',
    ]);

    await user.click(toggle);
    await waitFor(() =>
      expect(
        screen.queryByTestId('aks-baseline-passed'),
      ).not.toBeInTheDocument(),
    );
  });

  it('lists each rule that passed with its objects, and not the waived or unknown checks', async () => {
    const byRule: PassedChecksResponse = {
      ...passed,
      rules: [
        {
          cluster: 'aks-prod-westeurope',
          ruleId: 'container-no-privilege-escalation',
          title: 'Containers do not allow privilege escalation',
          category: 'pod-security',
          severity: 'high',
          objects: [
            { kind: 'Deployment', namespace: 'payments', name: 'checkout-api' },
          ],
          total: 1,
        },
        {
          cluster: 'aks-prod-westeurope',
          ruleId: 'workload-has-owner-label',
          title: 'Workloads carry an owner label',
          category: 'availability',
          severity: 'low',
          objects: [
            { kind: 'Deployment', namespace: 'payments', name: 'checkout-api' },
            {
              kind: 'Deployment',
              namespace: 'payments',
              name: 'payments-worker',
            },
          ],
          total: 5,
        },
      ],
      unattributed: [
        {
          cluster: 'aks-dev-koreacentral',
          category: 'pod-security',
          passed: 2,
        },
      ],
    };
    server.use(
      http.get(`${API}/entities/default/component/checkout-api/passed`, () =>
        HttpResponse.json(byRule),
      ),
    );
    const user = userEvent.setup();
    await renderWithBackend(<CheckoutFindings />);
    // workload-min-replicas is waived and container-image-pinned unknown
    // in this entity's findings (the fixtures): neither is a pass.
    await user.click(
      await screen.findByRole('checkbox', { name: 'Show passed checks' }),
    );
    const section = await screen.findByRole('region', {
      name: 'Passed checks (29)',
    });
    const rows = within(section).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'container-no-privilege-escalationContainers do not allow privilege escalationaks-prod-westeuropePod securityHighDeployment payments/checkout-api',
      'workload-has-owner-labelWorkloads carry an owner labelaks-prod-westeuropeAvailabilityLowDeployment payments/checkout-apiDeployment payments/payments-workerand 3 more (5 objects in all)',
    ]);
    expect(within(section).queryByText('workload-min-replicas')).toBeNull();
    expect(within(section).queryByText('container-image-pinned')).toBeNull();
    expect(
      within(section).getByTestId('aks-baseline-passed-unattributed'),
    ).toHaveTextContent(
      '2 more checks passed in Pod security on aks-dev-koreacentral',
    );
  });

  it('follows the URL, so that a link can open with them listed', async () => {
    await renderWithBackend(<CheckoutFindings />, { path: '/?passed=1' });
    expect(
      await screen.findByRole('checkbox', { name: 'Show passed checks' }),
    ).toBeChecked();
    expect(
      await screen.findByRole('region', { name: 'Passed checks (29)' }),
    ).toBeInTheDocument();
  });
});
