import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import { ManualChecklist, manualItems } from './ManualChecklist';
import {
  API,
  errorBody,
  manualChecklistHandlers,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';

jest.setTimeout(60_000);

const server = setupMswServer();

const item = (
  id: string,
  baselineRef: string,
  title: string,
  concerns?: 'service' | 'cluster',
): RuleInfo => ({
  id,
  baselineRef,
  category: 'operations',
  severity: 'medium',
  title,
  rationale: 'Only people can tell.',
  remediation: { summary: 'Confirm it.' },
  scope: 'cluster',
  source: 'kubernetes',
  manual: {
    reason: 'Only people can tell.',
    ...(concerns ? { concerns } : {}),
  },
  enabled: true,
});

const RULES = new Map(
  [
    item(
      'images-scanned-in-ci',
      'MN-02',
      'Images are scanned in CI/CD',
      'service',
    ),
    item('cost-reviews', 'MN-05', 'Regular cost reviews', 'cluster'),
    item(
      'cis-benchmark-reviewed',
      'MN-01',
      'kube-bench results are reviewed',
      'cluster',
    ),
    item('custom-review', 'MN-99', 'A custom item for everyone'),
  ].map(r => [r.id, r]),
);
const SERVICE = 'component:default/checkout-api';
const OTHER_SERVICE = 'component:default/billing-api';

describe('manualItems', () => {
  it("lists a service's items on its page and the cluster operations on the cluster's", () => {
    expect(manualItems(RULES, [], 'service').map(r => r.id)).toEqual([
      'images-scanned-in-ci',
      'custom-review',
    ]);
    expect(manualItems(RULES, [], 'cluster').map(r => r.id)).toEqual([
      'cis-benchmark-reviewed',
      'cost-reviews',
      'custom-review',
    ]);
    expect(manualItems(RULES, [])).toHaveLength(4);
  });
});

describe('ManualChecklist', () => {
  beforeEach(() => server.use(...manualChecklistHandlers()));

  it('confirms and withdraws items through the backend, with who, until when, and the history', async () => {
    const user = userEvent.setup();
    await renderWithBackend(
      <ManualChecklist
        subject={SERVICE}
        items={manualItems(RULES, [], 'service')}
      />,
    );
    const list = await screen.findByTestId('aks-baseline-manual-checklist');
    const box = within(list).getByRole('checkbox', {
      name: /Images are scanned in CI\/CD/,
    });
    await waitFor(() => expect(box).toBeEnabled());
    expect(screen.getByText(/0 of 2 confirmed/)).toBeInTheDocument();
    expect(
      screen.getByText(/a confirmation lasts 90 days/),
    ).toBeInTheDocument();

    await user.click(box);
    await waitFor(() => expect(box).toBeChecked());
    expect(box).toHaveAccessibleDescription(
      /^Confirmed by jane\.doe on .+, until .+$/,
    );
    expect(screen.getByText(/1 of 2 confirmed/)).toBeInTheDocument();

    await user.click(box);
    await waitFor(() => expect(box).not.toBeChecked());
    await user.click(screen.getByRole('button', { name: 'History (2)' }));
    const history = screen.getByRole('list', { name: 'Checklist history' });
    expect(
      within(history)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      expect.stringMatching(/jane\.doe withdrawn MN-02 Images are scanned/),
      expect.stringMatching(/jane\.doe confirmed MN-02 Images are scanned/),
    ]);
  });

  it('shows confirmations to everyone, and disables the boxes without aks-baseline.manual.confirm', async () => {
    // Another entity: the permission answer is cached per resource.
    server.use(
      http.get(`${API}/entities/default/component/billing-api/manual`, () =>
        HttpResponse.json({
          confirmations: [
            {
              ruleId: 'custom-review',
              by: 'user:default/sara.park',
              confirmedAt: '2026-11-20T10:00:00.000Z',
              expiresAt: '2027-02-18T10:00:00.000Z',
            },
          ],
          history: [],
          ttlDays: 90,
        }),
      ),
    );
    await renderWithBackend(
      <ManualChecklist
        subject={OTHER_SERVICE}
        items={manualItems(RULES, [], 'service')}
      />,
      { permission: AuthorizeResult.DENY },
    );
    const list = await screen.findByTestId('aks-baseline-manual-checklist');
    const confirmed = within(list).getByRole('checkbox', {
      name: /A custom item for everyone/,
    });
    expect(confirmed).toBeChecked();
    expect(confirmed).toHaveAccessibleDescription(/^Confirmed by sara\.park/);
    await waitFor(() => expect(confirmed).toBeDisabled());
    expect(
      screen.getByText(
        'You may not confirm these items (aks-baseline.manual.confirm)',
      ),
    ).toBeInTheDocument();
  });

  it('says when the service cannot be reached', async () => {
    server.use(
      http.get(`${API}/entities/default/component/checkout-api/manual`, () =>
        errorBody(503, 'Error', 'unavailable'),
      ),
    );
    await renderWithBackend(
      <ManualChecklist
        subject={SERVICE}
        items={manualItems(RULES, [], 'service')}
      />,
    );
    expect(
      await screen.findByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
  });
});
