import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  MockFetchApi,
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { PolicyReportsResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { ExternalReports } from './ExternalReports';
import { API, BASE_URL, setupMswServer } from '../../__testUtils__/render';

const server = setupMswServer();
const ROUTE = `${API}/entities/default/component/catalog-search/policy-reports`;
const REF = { kind: 'Component', namespace: 'default', name: 'catalog-search' };

const READ: PolicyReportsResponse = {
  enabled: true,
  clusters: [
    {
      cluster: 'aks-dev-koreacentral',
      status: 'read',
      readAt: '2026-12-01T10:00:00.000Z',
      counts: { pass: 1, fail: 2, warn: 0, error: 0, skip: 0 },
      results: [
        {
          source: 'kyverno',
          policy: 'require-run-as-nonroot',
          rule: 'autogen-run-as-non-root',
          category: 'Pod Security Standards (Restricted)',
          severity: 'medium',
          result: 'fail',
          message: 'validation error: Running as root is not allowed.',
          resource: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'catalog-search',
            namespace: 'storefront',
          },
          report: {
            kind: 'PolicyReport',
            name: '1fb1ec8e-5b59-46ba-a471-145f16d82143',
            namespace: 'storefront',
          },
        },
        {
          source: 'trivy-operator',
          policy: 'KSV014',
          severity: 'high',
          result: 'fail',
          resource: {
            kind: 'Deployment',
            name: 'catalog-search',
            namespace: 'storefront',
          },
          report: {
            kind: 'PolicyReport',
            name: 'trivy-deployment-catalog-search',
            namespace: 'storefront',
          },
        },
      ],
      truncated: false,
    },
    {
      cluster: 'aks-prod-westeurope',
      status: 'unreadable',
      reason:
        'PolicyReport: forbidden (403): the identity cannot list policyreports.wgpolicyk8s.io',
      readAt: '2026-12-01T10:00:00.000Z',
      counts: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 },
      results: [],
      truncated: false,
    },
    {
      cluster: 'aks-test',
      status: 'not-installed',
      readAt: '2026-12-01T10:00:00.000Z',
      counts: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 },
      results: [],
      truncated: false,
    },
  ],
};

function render() {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, mockApis.discovery({ baseUrl: BASE_URL })],
        [fetchApiRef, new MockFetchApi()],
      ]}
    >
      <ExternalReports entityRef={REF} />
    </TestApiProvider>,
  );
}

describe('ExternalReports', () => {
  it('shows each result with its tool, severity and result, and what was not read', async () => {
    server.use(http.get(ROUTE, () => HttpResponse.json(READ)));
    await render();

    const dev = await screen.findByRole('region', {
      name: 'Policy Reports on aks-dev-koreacentral',
    });
    expect(within(dev).getByText('2 fail · 1 pass')).toBeInTheDocument();
    const rows = within(dev).getAllByRole('row').slice(1);
    expect(
      rows.map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ),
    ).toEqual([
      [
        'fail',
        'medium',
        'kyverno',
        'require-run-as-nonroot / autogen-run-as-non-rootPod Security Standards (Restricted)',
        'Deployment storefront/catalog-search',
        'validation error: Running as root is not allowed.',
      ],
      [
        'fail',
        'high',
        'trivy-operator',
        'KSV014',
        'Deployment storefront/catalog-search',
        '',
      ],
    ]);

    // A 403 is not "no reports"; CRDs not installed is.
    const prod = screen.getByRole('region', {
      name: 'Policy Reports on aks-prod-westeurope',
    });
    expect(prod).toHaveTextContent(
      'Not read: PolicyReport: forbidden (403): the identity cannot list policyreports.wgpolicyk8s.io. This says nothing about whether there are any.',
    );
    expect(
      screen.getByRole('region', { name: 'Policy Reports on aks-test' }),
    ).toHaveTextContent('the wgpolicyk8s.io CRDs are not installed');
    expect(
      screen.getByText(/not part of the AKS Baseline score/),
    ).toBeInTheDocument();
  });

  it('shows nothing when the backend does not read Policy Reports', async () => {
    let asked = false;
    server.use(
      http.get(ROUTE, () => {
        asked = true;
        return HttpResponse.json({ enabled: false, clusters: [] });
      }),
    );
    const { container } = await render();
    await new Promise(r => setTimeout(r, 50));
    expect(asked).toBe(true);
    expect(container).toBeEmptyDOMElement();
  });

  it('says so when the reports cannot be loaded', async () => {
    server.use(
      http.get(ROUTE, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'database unavailable' } },
          { status: 500 },
        ),
      ),
    );
    await render();
    expect(
      await screen.findByText(/The Policy Reports could not be loaded/),
    ).toBeInTheDocument();
  });
});
