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
