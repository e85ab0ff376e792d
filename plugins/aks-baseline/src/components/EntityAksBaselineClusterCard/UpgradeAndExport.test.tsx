import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import {
  API,
  errorBody,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import { ClusterUpgradeReadinessSection } from './UpgradeReadiness';
import {
  ClusterExportLinks,
  EntityExportLinks,
  TeamExportLinks,
} from '../shared/AuditExportLinks';
import { CLUSTER_SECTIONS } from '../EntityAksBaselineClusterContent/ClusterSections';
import { prodCluster } from '../../__fixtures__/responses';

const server = setupMswServer();

const PDB_BLOCKER: Finding = {
  ruleId: 'pdb-allows-upgrade-drain',
  baselineRef: 'AX-14',
  category: 'availability',
  severity: 'high',
  status: 'fail',
  cluster: 'aks-prod-westeurope',
  resource: {
    kind: 'PodDisruptionBudget',
    namespace: 'payments',
    name: 'ledger',
  },
  message:
    'PodDisruptionBudget payments/ledger allows 0 disruptions (minAvailable 2 of 2 replicas): every node drain of the upgrade stalls',
};

const POOL_UNKNOWN: Finding = {
  ruleId: 'node-pool-version-matches-control-plane',
  baselineRef: 'CL-02',
  category: 'cluster',
  severity: 'medium',
  status: 'unknown',
  cluster: 'aks-prod-westeurope',
  resource: { kind: 'AgentPool', name: 'system' },
  message: 'The agent pools were not read (403 from Azure Resource Manager)',
};

const IMAGE_ADVISORY: Finding = {
  ruleId: 'node-image-current',
  baselineRef: 'AX-14',
  category: 'cluster',
  severity: 'low',
  status: 'fail',
  cluster: 'aks-prod-westeurope',
  resource: { kind: 'AgentPool', name: 'user' },
  message:
    'Node image AKSUbuntu-2204gen2containerd-202609.10.0 is 83 days old (limit 60)',
};

function readiness(body: Record<string, unknown>) {
  server.use(
    http.get(`${API}/clusters/aks-prod-westeurope/upgrade-readiness`, () =>
      HttpResponse.json({
        cluster: 'aks-prod-westeurope',
        blockers: [],
        unknowns: [],
        advisories: [],
        sourceKind: 'azure',
        evaluatedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        rules: [],
        ...body,
      }),
    ),
  );
}

describe('ClusterUpgradeReadinessSection', () => {
  it('lists the blockers, the checks that could not decide and the advisories', async () => {
    readiness({
      status: 'blocked',
      blockers: [PDB_BLOCKER],
      unknowns: [POOL_UNKNOWN],
      advisories: [IMAGE_ADVISORY],
    });
    await renderWithBackend(
      <ClusterUpgradeReadinessSection cluster="aks-prod-westeurope" />,
    );
    expect(
      await screen.findByTestId('aks-baseline-upgrade-status'),
    ).toHaveTextContent('Blocked: the next minor cannot be taken now.');
    const blockers = screen.getByRole('list', { name: 'Blockers' });
    expect(blockers).toHaveTextContent(
      'PodDisruptionBudget payments/ledger: PodDisruptionBudget payments/ledger allows 0 disruptions',
    );
    expect(
      screen.getByRole('list', { name: 'Could not decide' }),
    ).toHaveTextContent('The agent pools were not read');
    expect(screen.getByRole('list', { name: 'Advisories' })).toHaveTextContent(
      'is 83 days old (limit 60)',
    );
    expect(
      screen.getByTestId('aks-baseline-upgrade-readiness'),
    ).toHaveTextContent('From the azure read, evaluated 5 minutes ago');
  });

  it('never says ready: no blocker found, and not evaluated, are said as such', async () => {
    readiness({ status: 'no-blocker-found' });
    const first = await renderWithBackend(
      <ClusterUpgradeReadinessSection cluster="aks-prod-westeurope" />,
    );
    expect(
      await screen.findByTestId('aks-baseline-upgrade-status'),
    ).toHaveTextContent('No blocker found by the checks that ran.');
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
    first.unmount();

    readiness({ status: 'unknown', evaluatedAt: undefined });
    await renderWithBackend(
      <ClusterUpgradeReadinessSection cluster="aks-prod-westeurope" />,
    );
    expect(
      await screen.findByText(
        'Not evaluated yet: nothing is known about the next upgrade.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend error with a retry', async () => {
    server.use(
      http.get(`${API}/clusters/aks-prod-westeurope/upgrade-readiness`, () =>
        errorBody(404, 'NotFoundError', 'No cluster named aks-prod-westeurope'),
      ),
    );
    await renderWithBackend(
      <ClusterUpgradeReadinessSection cluster="aks-prod-westeurope" />,
    );
    const section = screen.getByTestId('aks-baseline-upgrade-readiness');
    await waitFor(() =>
      expect(section).toHaveTextContent('No cluster named aks-prod-westeurope'),
    );
  });
});

describe('ClusterExportLinks', () => {
  const createObjectURL = jest.fn(() => 'blob:export');
  const revokeObjectURL = jest.fn();
  let clicked: { href: string; download: string }[];

  beforeEach(() => {
    clicked = [];
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicked.push({ href: this.href, download: this.download });
      });
  });
  afterEach(() => jest.restoreAllMocks());

  it('downloads the CSV and the printable HTML with the user token, named by the backend', async () => {
    const requests: { url: string; auth: string | null }[] = [];
    server.use(
      http.get(`${API}/clusters/aks-prod-westeurope/export`, ({ request }) => {
        requests.push({
          url: request.url,
          auth: request.headers.get('authorization'),
        });
        const format = new URL(request.url).searchParams.get('format');
        return new HttpResponse(
          format === 'csv' ? 'rule,status\nCL-16,fail\n' : '<!doctype html>',
          {
            headers: {
              'Content-Type': format === 'csv' ? 'text/csv' : 'text/html',
              'Content-Disposition': `attachment; filename="aks-baseline-aks-prod-westeurope.${format}"`,
            },
          },
        );
      }),
    );
    await renderWithBackend(
      <ClusterExportLinks cluster="aks-prod-westeurope" />,
    );
    const section = screen.getByTestId('aks-baseline-export');
    await userEvent.click(
      within(section).getByRole('button', { name: 'Download CSV' }),
    );
    await waitFor(() => expect(clicked).toHaveLength(1));
    await userEvent.click(
      within(section).getByRole('button', {
        name: 'Download printable report (HTML)',
      }),
    );
    await waitFor(() => expect(clicked).toHaveLength(2));

    expect(requests.map(r => new URL(r.url).search)).toEqual([
      '?format=csv',
      '?format=html',
    ]);
    expect(clicked.map(c => c.download)).toEqual([
      'aks-baseline-aks-prod-westeurope.csv',
      'aks-baseline-aks-prod-westeurope.html',
    ]);
    const [csvBlob] = createObjectURL.mock.calls[0] as unknown as [Blob];
    expect(await csvBlob.text()).toBe('rule,status\nCL-16,fail\n');
    expect(revokeObjectURL).toHaveBeenCalledTimes(2);
  });

  it('says when an export could not be downloaded', async () => {
    server.use(
      http.get(`${API}/clusters/aks-prod-westeurope/export`, () =>
        errorBody(404, 'NotFoundError', 'No cluster named aks-prod-westeurope'),
      ),
    );
    await renderWithBackend(
      <ClusterExportLinks cluster="aks-prod-westeurope" />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(
      await screen.findByText(
        /The CSV export of aks-prod-westeurope could not be downloaded/,
      ),
    ).toBeInTheDocument();
    expect(clicked).toEqual([]);
  });
});

describe('the team and entity exports', () => {
  beforeEach(() => {
    Object.assign(URL, {
      createObjectURL: jest.fn(() => 'blob:export'),
      revokeObjectURL: jest.fn(),
    });
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [
      'a team',
      <TeamExportLinks
        group={{ kind: 'group', namespace: 'default', name: 'team-payments' }}
      />,
      '/groups/default/team-payments/export?format=csv',
    ],
    [
      'an entity',
      <EntityExportLinks
        entity={{
          kind: 'component',
          namespace: 'default',
          name: 'checkout-api',
        }}
      />,
      '/entities/default/component/checkout-api/export?format=csv',
    ],
  ])('downloads the export of %s from its route', async (_, element, route) => {
    const asked: string[] = [];
    server.use(
      http.get(`${API}/*`, ({ request }) => {
        const url = new URL(request.url);
        asked.push(
          `${url.pathname.replace(/^.*\/api\/aks-baseline/, '')}${url.search}`,
        );
        return new HttpResponse('rule,status\n', {
          headers: { 'Content-Type': 'text/csv' },
        });
      }),
    );
    await renderWithBackend(element);
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(asked).toEqual([route]));
  });
});

describe('the cluster tab', () => {
  it('has an upgrade readiness and audit export section after the score', async () => {
    readiness({ status: 'blocked', blockers: [PDB_BLOCKER] });
    expect(CLUSTER_SECTIONS.map(s => s.id).slice(0, 2)).toEqual([
      'score',
      'upgrade-and-export',
    ]);
    const Section = CLUSTER_SECTIONS[1].Component;
    await renderWithBackend(
      <Section
        entityRef="resource:default/aks-prod"
        cluster={prodCluster}
        history={[]}
        rules={new Map()}
      />,
    );
    expect(
      screen.getByRole('heading', {
        level: 2,
        name: 'Upgrade readiness and audit export',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByTestId('aks-baseline-upgrade-status'),
    ).toHaveTextContent('Blocked');
    expect(
      screen.getByRole('button', { name: 'Download CSV' }),
    ).toBeInTheDocument();
  });
});
