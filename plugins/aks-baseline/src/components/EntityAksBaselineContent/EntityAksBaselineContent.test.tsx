import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
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
  checkoutFindings,
  checkoutScore,
  CRB_FORBIDDEN,
  partialCluster,
  partialFindings,
} from '../../__fixtures__/responses';
import { findingsPage, prepared } from '../../__fixtures__/findingsPages';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { useLocation } from 'react-router-dom';

/** Shows the page's query string, to see the filters land in the URL. */
function LocationProbe() {
  return <div data-testid="location">{useLocation().search}</div>;
}

/** Makes MUI's media queries answer as on a screen `width` pixels wide. */
function screenWidth(width: number) {
  const had = 'matchMedia' in window;
  const original = window.matchMedia;
  window.matchMedia = ((query: string) => {
    const max = /max-width:\s*([\d.]+)px/.exec(query);
    const min = /min-width:\s*([\d.]+)px/.exec(query);
    const matches =
      (!max || width <= Number(max[1])) && (!min || width >= Number(min[1]));
    return {
      matches,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    };
  }) as typeof window.matchMedia;
  return () => {
    if (had) window.matchMedia = original;
    else delete (window as { matchMedia?: unknown }).matchMedia;
  };
}

// Material Table renders slowly in jsdom.
jest.setTimeout(30_000);

const server = setupMswServer();
const SCORE = `${API}/entities/default/component/checkout-api/score`;
const FINDINGS = `${API}/entities/default/component/checkout-api/findings`;

/** The rows with a finding (not the empty-page message, nor the pager). */
function rowTexts() {
  const table = within(screen.getByTestId('aks-baseline-findings'));
  return table
    .getAllByRole('row')
    .slice(1) // header
    .map(row => row.textContent ?? '')
    .filter(text => !/^(No find|Rows per page)/.test(text));
}

/** Waits for the table to show `n` findings. */
async function rows(n: number) {
  await waitFor(() => expect(rowTexts()).toHaveLength(n), { timeout: 5000 });
  return rowTexts();
}

async function renderTab() {
  const result = await renderWithBackend(<EntityAksBaselineContent />, {
    entity: checkoutEntity,
  });
  await screen.findByTestId('aks-baseline-findings');
  await rows(5);
  return result;
}

describe('EntityAksBaselineContent', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('lists the findings in the order the backend sends them, with summary and breakdown', async () => {
    await renderTab();
    expect(screen.getByTestId('aks-baseline-findings-count')).toHaveTextContent(
      'Showing 5 of 5 findings',
    );
    const listed = rowTexts();
    expect(listed[0]).toMatch(/^HighFailingContainers run as a non-root user/);
    expect(listed[1]).toMatch(
      /^HighFailingNamespace has a default-deny ingress/,
    );
    expect(listed[2]).toMatch(
      /^MediumFailingContainers set CPU and memory requests/,
    );
    expect(listed[3]).toMatch(/WaivedProduction Deployments/);
    expect(listed[4]).toMatch(/UnknownContainer images are pinned/);

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
    const findings = [...checkoutFindings, partialFindings[0]];
    server.use(
      http.get(FINDINGS, ({ request }) =>
        HttpResponse.json(findingsPage(findings, request.url)),
      ),
      http.get(SCORE, () =>
        HttpResponse.json({
          ...checkoutScore,
          ...prepared(findings),
          totals: { ...checkoutScore.totals, unknown: 2 },
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
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
    });
    await rows(6);
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

    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/findings')) {
        asked.push(decodeURIComponent(new URL(request.url).search));
      }
    });
    await user.selectOptions(screen.getByLabelText('Severity'), 'medium');
    expect((await rows(1))[0]).toContain(
      'Containers set CPU and memory requests',
    );
    expect(screen.getByTestId('aks-baseline-findings-count')).toHaveTextContent(
      'Showing 1 of 5 findings',
    );
    // The backend filters: the table asks for what it shows.
    expect(asked.at(-1)).toBe(
      '?severity=medium&status=fail,waived,unknown,not-applicable&limit=20',
    );

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await rows(5);

    await user.selectOptions(screen.getByLabelText('Category'), 'networking');
    expect((await rows(1))[0]).toContain('default-deny');
    await user.selectOptions(screen.getByLabelText('Category'), '');

    await user.selectOptions(
      screen.getByLabelText('Cluster'),
      'aks-prod-westeurope',
    );
    await rows(2);
    await user.selectOptions(screen.getByLabelText('Cluster'), '');

    await user.selectOptions(screen.getByLabelText('Namespace'), '-');
    expect((await rows(1))[0]).toContain('Namespace');
    expect(asked.at(-1)).toContain('namespace=-&');
    await user.selectOptions(screen.getByLabelText('Namespace'), '');

    await user.selectOptions(screen.getByLabelText('Status'), 'waived');
    expect((await rows(1))[0]).toContain('checkout-api-migrations');

    // Combined filters that match nothing say so.
    await user.selectOptions(screen.getByLabelText('Severity'), 'medium');
    await rows(0);
    expect(
      within(screen.getByTestId('aks-baseline-findings')).getByText(
        'No finding matches these filters.',
      ),
    ).toBeInTheDocument();
  });

  it('keeps the filters in the URL, so that a filtered view can be shared', async () => {
    const user = userEvent.setup();
    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/findings')) {
        asked.push(decodeURIComponent(new URL(request.url).search));
      }
    });
    // Opened from a shared link (or the card's top rule).
    await renderWithBackend(
      <>
        <EntityAksBaselineContent />
        <LocationProbe />
      </>,
      {
        entity: checkoutEntity,
        path: '/catalog/default/component/checkout-api/aks-baseline?rule=container-run-as-non-root&severity=high',
      },
    );
    expect((await rows(1))[0]).toContain('Containers run as a non-root user');
    expect(asked[0]).toBe(
      '?severity=high&status=fail,waived,unknown,not-applicable&rule=container-run-as-non-root&limit=20',
    );
    expect(screen.getByLabelText('Rule')).toHaveValue(
      'container-run-as-non-root',
    );
    expect(screen.getByLabelText('Severity')).toHaveValue('high');

    // Changing a filter changes the URL.
    await user.selectOptions(screen.getByLabelText('Rule'), '');
    await user.selectOptions(screen.getByLabelText('Category'), 'networking');
    expect((await rows(1))[0]).toContain('default-deny');
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?severity=high&category=networking',
    );
    await user.type(screen.getByLabelText('Search findings'), 'payments');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '?severity=high&category=networking&q=payments',
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(/^$/),
    );
    await rows(5);
  });

  it('names each row toggle after its finding, and says whether it is open', async () => {
    const user = userEvent.setup();
    await renderTab();
    const toggle = screen.getByRole('button', {
      name: 'Show evidence for RS-01 on checkout-api-worker',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.getByRole('button', {
        name: 'Show evidence for NW-03 on payments',
      }),
    ).toBeInTheDocument();
    // The table's own unnamed toggles are not offered to assistive technology.
    expect(
      screen.queryByRole('button', { name: 'Detail panel visiblity toggle' }),
    ).not.toBeInTheDocument();
    await user.click(toggle);
    expect(
      await screen.findByTestId('aks-baseline-finding-details'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Hide evidence for RS-01 on checkout-api-worker',
      }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('puts the rule first on a phone, with its severity and status under it', async () => {
    const restore = screenWidth(390);
    try {
      await renderTab();
      const table = within(screen.getByTestId('aks-baseline-findings'));
      const headers = table
        .getAllByRole('columnheader')
        .map(h => h.textContent)
        .filter(Boolean);
      expect(headers).toEqual(['Details', 'Rule', 'Resource']);
      const first = table.getAllByRole('row')[1];
      const cells = within(first).getAllByRole('cell');
      const ruleCell = cells.find(c =>
        c.textContent?.includes('Containers run as a non-root user'),
      )!;
      expect(ruleCell).toHaveTextContent('High');
      expect(ruleCell).toHaveTextContent('Failing');
    } finally {
      restore();
    }
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
    const only = (text: string) =>
      waitFor(
        () => expect(rowTexts()).toEqual([expect.stringContaining(text)]),
        { timeout: 5000 },
      );
    await user.type(search, 'migrations');
    await only('checkout-api-migrations');
    await user.clear(search);
    await user.type(search, 'ps-02');
    await only('non-root');
    await user.clear(search);
    await user.type(search, 'forbidden');
    await only('Container images are pinned');
  });

  it('pages through the findings with the cursor the backend gives', async () => {
    const user = userEvent.setup();
    const many: Finding[] = Array.from({ length: 45 }, (_, i) => ({
      ...checkoutFindings[2],
      resource: {
        kind: 'Deployment',
        name: `worker-${String(i).padStart(2, '0')}`,
        namespace: 'payments',
      },
    }));
    const cursors: Array<string | null> = [];
    server.use(
      http.get(FINDINGS, ({ request }) => {
        cursors.push(new URL(request.url).searchParams.get('cursor'));
        return HttpResponse.json(findingsPage(many, request.url));
      }),
      http.get(SCORE, () =>
        HttpResponse.json({ ...checkoutScore, ...prepared(many) }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
    });
    expect((await rows(20))[0]).toContain('payments/worker-00');
    expect(screen.getByTestId('aks-baseline-findings-count')).toHaveTextContent(
      'Showing 45 of 45 findings',
    );
    const first = (name: string) =>
      waitFor(() => expect(rowTexts()[0]).toContain(name), { timeout: 5000 });
    await user.click(screen.getByRole('button', { name: /next page/i }));
    await first('payments/worker-20');
    await user.click(screen.getByRole('button', { name: /next page/i }));
    await first('payments/worker-40');
    expect((await rows(5))[4]).toContain('payments/worker-44');
    expect(cursors).toEqual([null, 'c1.20', 'c1.40']);
    await user.click(screen.getByRole('button', { name: /previous page/i }));
    await first('payments/worker-20');
    expect(cursors.at(-1)).toBe('c1.20');
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
    // The fix, with a copy button (once highlighted, its text is split in spans).
    await waitFor(
      () =>
        expect(d.getByTestId('aks-baseline-fix-snippet')).toHaveTextContent(
          /memory: 128Mi/,
        ),
      { timeout: 5000 },
    );
    expect(d.getByRole('button', { name: 'Copy text' })).toBeInTheDocument();
  });

  it('copies the remediation', async () => {
    const user = userEvent.setup();
    // What copy-to-clipboard selected when it asked the browser to copy.
    const copied: string[] = [];
    const execCommand = jest.fn(() => {
      copied.push(document.getSelection()?.toString() ?? '');
      return true;
    });
    Object.defineProperty(document, 'execCommand', {
      value: execCommand,
      configurable: true,
    });
    await renderTab();
    await user.click(
      screen.getByText(/^Production Deployments and StatefulSets/),
    );
    const details = await screen.findByTestId('aks-baseline-finding-details');
    await waitFor(
      () =>
        expect(
          within(details).getByTestId('aks-baseline-fix-command'),
        ).toHaveTextContent(/kubectl scale deployment myapp/),
      { timeout: 5000 },
    );
    await user.click(
      within(details).getByRole('button', { name: 'Copy text' }),
    );
    await waitFor(() => expect(execCommand).toHaveBeenCalledWith('copy'));
    // The fix as shown, not the tooltip's fleeting "Text copied" (it closes
    // after a second, which a busy machine can miss).
    expect(copied).toEqual([
      expect.stringMatching(/kubectl scale deployment myapp/),
    ]);
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

  it('shows manual items as a checklist the owners confirm, kept by the backend', async () => {
    const user = userEvent.setup();
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
    });
    const checklist = await screen.findByTestId(
      'aks-baseline-manual-checklist',
    );
    const box = within(checklist).getByRole('checkbox', {
      name: /Changes reach the cluster through a GitOps workflow/,
    });
    expect(box).not.toBeChecked();
    expect(checklist).toHaveTextContent('Not confirmed');
    // Manual items are never rows of the findings table.
    expect(rowTexts().some(r => r.includes('GitOps'))).toBe(false);

    await user.click(box);
    await waitFor(() => expect(box).toBeChecked());
    expect(checklist).toHaveTextContent('Confirmed by jane.doe on');
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

  it('says the service cannot be reached when the request fails, and retries', async () => {
    const user = userEvent.setup();
    let down = true;
    server.use(
      http.get(SCORE, () =>
        down ? HttpResponse.error() : HttpResponse.json(checkoutScore),
      ),
    );
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
    });
    const error = await screen.findByTestId('aks-baseline-service-error');
    expect(error).toHaveTextContent(
      'The portal cannot reach the AKS Baseline service',
    );
    expect(error).not.toHaveTextContent(/Failed to fetch/);
    expect(
      screen.queryByTestId('aks-baseline-findings'),
    ).not.toBeInTheDocument();
    down = false;
    await user.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByTestId('aks-baseline-findings'),
    ).toBeInTheDocument();
  });

  it('says the service cannot be reached on 503, and failed to answer on 500', async () => {
    server.use(http.get(SCORE, () => new HttpResponse(null, { status: 503 })));
    const first = await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
    });
    expect(
      await screen.findByTestId('aks-baseline-service-error'),
    ).toHaveTextContent('The portal cannot reach the AKS Baseline service');
    first.unmount();

    server.use(
      http.get(SCORE, () => errorBody(500, 'Error', 'store unavailable')),
    );
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: checkoutEntity,
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

  it('says so when a page of findings cannot be loaded, and retries it', async () => {
    const user = userEvent.setup();
    await renderTab();
    let down = true;
    server.use(
      http.get(FINDINGS, ({ request }) =>
        down
          ? HttpResponse.error()
          : HttpResponse.json(findingsPage(checkoutFindings, request.url)),
      ),
    );
    await user.selectOptions(screen.getByLabelText('Severity'), 'medium');
    const error = await screen.findByTestId('aks-baseline-service-error');
    expect(error).toHaveTextContent(
      'The portal cannot reach the AKS Baseline service',
    );
    down = false;
    await user.click(within(error).getByRole('button', { name: 'Retry' }));
    expect((await rows(1))[0]).toContain(
      'Containers set CPU and memory requests',
    );
    expect(
      screen.queryByTestId('aks-baseline-service-error'),
    ).not.toBeInTheDocument();
  });

  it('asks for the annotation when the entity has none', async () => {
    await renderWithBackend(<EntityAksBaselineContent />, {
      entity: { ...checkoutEntity, metadata: { name: 'x', annotations: {} } },
    });
    const empty = await screen.findByTestId('aks-baseline-missing-annotation');
    expect(within(empty).getByText('Missing Annotation')).toBeInTheDocument();
    expect(empty).toHaveTextContent('backstage.io/kubernetes-id: value');
    expect(empty).toHaveTextContent('backstage.io/kubernetes-label-selector');
  });
});
