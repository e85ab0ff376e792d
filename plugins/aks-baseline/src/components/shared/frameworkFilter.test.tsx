/*
 * The findings tab's framework filter (CIS AKS Benchmark, Pod Security
 * Standards, Azure Policy): the backend is asked for the rules that map to
 * the framework (GET /rules serves each rule's frameworks).
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import { EntityAksBaselineContent } from '../EntityAksBaselineContent';
import {
  API,
  checkoutEntity,
  demoHandlers,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import { rulesResponse } from '../../__fixtures__/responses';
import { EMPTY_FILTERS, findingsQuery } from './findingFilters';

jest.setTimeout(30_000);
const server = setupMswServer();

/** The demo's rules, with the frameworks GET /rules gives them. */
const FRAMEWORKS: Record<string, RuleInfo['frameworks']> = {
  'container-run-as-non-root': {
    cisAks: ['5.2.6'],
    podSecurityStandards: {
      level: 'restricted',
      controls: ['Running as Non-root'],
    },
  },
  'namespace-default-deny-ingress': { cisAks: ['5.3.2'] },
  'container-resource-requests': {
    azurePolicy: [
      {
        displayName:
          'Kubernetes cluster containers CPU and memory resource requests must be defined',
        id: 'e1e6c427-07d9-46ab-9689-bfa85431e636',
        deploymentSafeguards: true,
      },
    ],
  },
};
const RULES = new Map<string, RuleInfo>(
  rulesResponse.items.map(r => [r.id, { ...r, frameworks: FRAMEWORKS[r.id] }]),
);

describe('findingsQuery with a framework', () => {
  it('asks for the rules that map to the framework, within a picked rule', () => {
    const statuses = ['fail'] as const;
    expect(
      findingsQuery({ ...EMPTY_FILTERS, framework: 'cis-aks' }, statuses, RULES)
        .rule,
    ).toEqual(['container-run-as-non-root', 'namespace-default-deny-ingress']);
    expect(
      findingsQuery(
        {
          ...EMPTY_FILTERS,
          framework: 'cis-aks',
          rule: 'namespace-default-deny-ingress',
        },
        statuses,
        RULES,
      ).rule,
    ).toEqual(['namespace-default-deny-ingress']);
    // A picked rule outside the framework: nothing matches, not everything.
    expect(
      findingsQuery(
        {
          ...EMPTY_FILTERS,
          framework: 'azure-policy',
          rule: 'namespace-default-deny-ingress',
        },
        statuses,
        RULES,
      ).rule,
    ).toEqual(['(no rule maps to azure-policy)']);
    expect(
      findingsQuery({ ...EMPTY_FILTERS }, statuses, RULES).rule,
    ).toBeUndefined();
  });
});

describe('the findings tab framework filter', () => {
  beforeEach(() => {
    server.use(...demoHandlers());
    // Used after the demo's: the rules with their frameworks.
    server.use(
      http.get(`${API}/rules`, () =>
        HttpResponse.json({ items: [...RULES.values()] }),
      ),
    );
  });

  it('filters by framework through the backend', async () => {
    const user = userEvent.setup();
    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/findings')) {
        asked.push(decodeURIComponent(new URL(request.url).search));
      }
    });
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
    });
    const table = await screen.findByTestId('aks-baseline-findings');
    const framework = within(table).getByLabelText('Framework');
    expect(
      within(framework)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'All frameworks',
      'CIS AKS Benchmark',
      'Pod Security Standards',
      'Azure Policy',
    ]);

    await user.selectOptions(framework, 'pod-security-standards');
    await waitFor(() =>
      expect(asked.at(-1)).toContain('rule=container-run-as-non-root&'),
    );
    await waitFor(() => {
      const rows = within(table).getAllByRole('row').slice(1);
      expect(rows[0]).toHaveTextContent('Containers run as a non-root user');
    });
    expect(within(table).getAllByRole('row').slice(1)).not.toContainEqual(
      expect.objectContaining({
        textContent: expect.stringContaining('default-deny'),
      }),
    );
  });
});
