import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse, delay } from 'msw';
import { EntityAksBaselineCard } from './EntityAksBaselineCard';
import {
  API,
  checkoutEntity,
  demoHandlers,
  errorBody,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';
import { checkoutScore, CRB_FORBIDDEN } from '../../__fixtures__/responses';

const server = setupMswServer();
const SCORE = `${API}/entities/default/component/checkout-api/score`;

describe('EntityAksBaselineCard', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it('shows a progress bar while loading', async () => {
    server.use(
      http.get(SCORE, async () => {
        await delay('infinite');
        return HttpResponse.json(checkoutScore);
      }),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the score, grade in text, counts, categories, top rules, trend and link', async () => {
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    const card = await screen.findByTestId('aks-baseline-card-body');

    // Score and grade, the grade in words as well as in colour.
    expect(within(card).getByTestId('aks-baseline-score')).toHaveTextContent(
      '78',
    );
    expect(
      within(card).getByRole('img', { name: 'Grade C' }),
    ).toBeInTheDocument();
    expect(within(card).getByText('Grade C · Fair')).toBeInTheDocument();

    // Failing checks by severity.
    expect(
      within(card).getByTestId('aks-baseline-count-high'),
    ).toHaveTextContent('2high');
    expect(
      within(card).getByTestId('aks-baseline-count-medium'),
    ).toHaveTextContent('1medium');
    expect(
      within(card).getByTestId('aks-baseline-count-critical'),
    ).toHaveTextContent('0critical');
    expect(within(card).getByText('1 waived')).toBeInTheDocument();
    expect(within(card).getByTestId('aks-baseline-unknown')).toHaveTextContent(
      '1 check could not be made: see the findings marked Unknown.',
    );

    // A bar per category, labelled with score and grade.
    expect(
      within(card).getByRole('progressbar', {
        name: 'Networking: 50 out of 100, grade F',
      }),
    ).toHaveAttribute('aria-valuenow', '50');
    expect(within(card).getAllByRole('progressbar')).toHaveLength(5);

    // Top failing rules, with resource and one-line fix, high before medium.
    const rules = within(card).getByRole('list', { name: 'Top failing rules' });
    const items = within(rules).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('Containers run as a non-root user');
    expect(items[0]).toHaveTextContent('High');
    expect(items[0]).toHaveTextContent(
      'Deployment payments/checkout-api · aks-dev-koreacentral',
    );
    expect(items[0]).toHaveTextContent(
      'Fix: Set runAsNonRoot: true and runAsUser: 1000',
    );
    expect(items[1]).toHaveTextContent(
      'Namespace has a default-deny ingress NetworkPolicy',
    );
    expect(items[1]).toHaveTextContent('Namespace payments');
    expect(items[2]).toHaveTextContent(
      'Containers set CPU and memory requests',
    );

    // Trend over the last runs, described in text.
    expect(
      within(card).getByRole('img', {
        name: /Score trend\. aks-prod-westeurope: 85 to 92 over 3 runs, up 7 points/,
      }),
    ).toBeInTheDocument();

    // When, and the link to the tab.
    expect(
      within(card).getByTestId('aks-baseline-evaluated-at'),
    ).toHaveTextContent('Evaluated 5 minutes ago');
    expect(
      screen.getByRole('link', { name: /View all findings/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/aks-baseline',
    );
    expect(screen.queryByTestId('aks-baseline-stale')).not.toBeInTheDocument();

    // Each top rule opens the tab's findings of that rule.
    expect(
      within(items[0]).getByRole('link', {
        name: /^Containers run as a non-root user/,
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/aks-baseline?rule=container-run-as-non-root',
    );
    // The card title is a heading, above the card's own section headings.
    const headings = screen.getAllByRole('heading').map(h => ({
      level: h.tagName,
      text: h.textContent,
    }));
    expect(headings.slice(0, 4)).toEqual([
      { level: 'H2', text: 'AKS Baseline' },
      { level: 'H3', text: 'Failing checks' },
      { level: 'H3', text: 'By category' },
      { level: 'H3', text: 'Top failing rules' },
    ]);
  });

  it('explains the score from the card', async () => {
    const user = userEvent.setup();
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    await screen.findByTestId('aks-baseline-card-body');
    await user.click(
      screen.getByRole('button', { name: 'How is this scored?' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'How is this scored?',
    });
    expect(dialog).toHaveTextContent('critical 10, high 5, medium 2, low 1');
    expect(dialog).toHaveTextContent('it is not the mean of their scores');
  });

  it('shows no links when the app binds no entity page', async () => {
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
      bindRoutes: false,
    });
    const card = await screen.findByTestId('aks-baseline-card-body');
    expect(
      within(card).getByText(/^Containers run as a non-root user/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /View all findings/ }),
    ).not.toBeInTheDocument();
    expect(
      within(card).queryByRole('link', {
        name: /^Containers run as a non-root user/,
      }),
    ).not.toBeInTheDocument();
  });

  it('warns when the result is stale', async () => {
    server.use(
      http.get(SCORE, () =>
        HttpResponse.json({
          ...checkoutScore,
          stale: true,
          staleReason: 'aks-dev-koreacentral: Kubernetes API answered 401',
        }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    expect(await screen.findByTestId('aks-baseline-stale')).toHaveTextContent(
      'This result may be out of date: the last evaluation failed (aks-dev-koreacentral: Kubernetes API answered 401)',
    );
  });

  it('shows the checks its clusters could not make for it, and why, next to the score', async () => {
    const crb = {
      kind: 'ClusterRoleBinding',
      reason: CRB_FORBIDDEN,
    };
    server.use(
      http.get(SCORE, () =>
        HttpResponse.json({
          ...checkoutScore,
          score: 100,
          grade: 'A',
          totals: { ...checkoutScore.totals, unknown: 12 },
          clusters: [
            { ...checkoutScore.clusters[0], unreadableKinds: [crb] },
            {
              ...checkoutScore.clusters[1],
              unreadableKinds: [
                crb,
                {
                  kind: 'NetworkPolicy',
                  reason: '404 Not Found listing networkpolicies',
                },
              ],
            },
          ],
        }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    const unknown = await screen.findByTestId('aks-baseline-unknown');
    expect(unknown).toHaveTextContent('12 checks could not be made');
    const items = within(unknown).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      `aks-prod-westeurope: ClusterRoleBinding could not be listed (${CRB_FORBIDDEN})`,
      `aks-dev-koreacentral: ClusterRoleBinding could not be listed (${CRB_FORBIDDEN})`,
      'aks-dev-koreacentral: NetworkPolicy could not be listed (404 Not Found listing networkpolicies)',
    ]);
    expect(unknown).toHaveTextContent(
      'They are outside the score, which only counts what was checked.',
    );
  });

  it('says never evaluated, with the errors, when its clusters were never read', async () => {
    server.use(
      http.get(SCORE, () =>
        errorBody(404, 'NotFoundError', 'never evaluated', {
          reason: 'never-evaluated',
          clusters: [
            {
              name: 'aks-new-northeurope',
              lastError:
                'Kubernetes API returned 401 Unauthorized listing namespaces',
              lastAttemptAt: new Date().toISOString(),
            },
          ],
        }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    expect(
      await screen.findByText('Never evaluated: its cluster was never read'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('aks-baseline-not-evaluated')).toHaveTextContent(
      'Last error: aks-new-northeurope: Kubernetes API returned 401 Unauthorized listing namespaces.',
    );
    expect(screen.queryByTestId('aks-baseline-score')).not.toBeInTheDocument();
  });

  it("names a rule's first object and counts the others from the backend's summary", async () => {
    server.use(
      http.get(SCORE, () =>
        HttpResponse.json({
          ...checkoutScore,
          failingRules: [
            {
              ruleId: 'container-run-as-non-root',
              baselineRef: 'PS-02',
              category: 'pod-security',
              severity: 'high',
              failures: 12,
              resources: [
                { kind: 'Deployment', name: 'a', namespace: 'payments' },
                { kind: 'Deployment', name: 'b', namespace: 'payments' },
                { kind: 'Deployment', name: 'c', namespace: 'payments' },
              ],
              clusters: ['aks-dev-koreacentral', 'aks-prod-westeurope'],
            },
          ],
        }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    const top = await screen.findByRole('list', { name: 'Top failing rules' });
    expect(top).toHaveTextContent(
      'Deployment payments/a and 11 more · aks-dev-koreacentral, aks-prod-westeurope',
    );
  });

  it('shows an entity the user may not see as not evaluated, not as an error', async () => {
    // The backend answers for it exactly as for an entity it never evaluated.
    server.use(
      http.get(SCORE, () =>
        errorBody(
          404,
          'NotFoundError',
          'component:default/checkout-api has not been evaluated',
          { reason: 'not-evaluated' },
        ),
      ),
      http.get(`${API}/entities/default/component/checkout-api/history`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(screen.queryByText(/NotFoundError|Error/)).not.toBeInTheDocument();
  });

  it('says so when the entity has not been evaluated', async () => {
    server.use(
      http.get(SCORE, () =>
        errorBody(404, 'NotFoundError', 'not evaluated', {
          reason: 'not-evaluated',
        }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(screen.getByTestId('aks-baseline-not-evaluated')).toHaveTextContent(
      'the score appears here after the next run',
    );
  });

  it('explains when no workload matched the annotations', async () => {
    server.use(
      http.get(SCORE, () =>
        errorBody(404, 'NotFoundError', 'no workloads', {
          reason: 'no-workloads',
        }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    expect(
      await screen.findByText('No workloads found on the evaluated clusters'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/backstage\.io\/kubernetes-id=checkout-api/),
    ).toBeInTheDocument();
  });

  it('says the service cannot be reached when the request fails, and retries', async () => {
    const user = userEvent.setup();
    let down = true;
    server.use(
      http.get(SCORE, () =>
        down ? HttpResponse.error() : HttpResponse.json(checkoutScore),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    const error = await screen.findByTestId('aks-baseline-service-error');
    expect(error).toHaveTextContent(
      'The portal cannot reach the AKS Baseline service',
    );
    expect(error).not.toHaveTextContent(/Failed to fetch/);
    down = false;
    await user.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByTestId('aks-baseline-card-body'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('aks-baseline-service-error'),
    ).not.toBeInTheDocument();
  });

  it('says the service cannot be reached when a gateway answers for it', async () => {
    server.use(
      http.get(SCORE, () => new HttpResponse('Bad Gateway', { status: 502 })),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    const error = await screen.findByTestId('aks-baseline-service-error');
    expect(error).toHaveTextContent(
      'The portal cannot reach the AKS Baseline service',
    );
    expect(error).toHaveTextContent('HTTP 502 from the gateway');
    expect(
      within(error).getByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
  });

  it('says the service failed to answer on a server error, with its message and a retry', async () => {
    server.use(
      http.get(SCORE, () =>
        errorBody(500, 'DatabaseError', 'connection refused'),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    const error = await screen.findByTestId('aks-baseline-service-error');
    expect(error).toHaveTextContent(
      'The AKS Baseline service failed to answer',
    );
    expect(error).toHaveTextContent('HTTP 500');
    expect(error).toHaveTextContent(/connection refused/);
    expect(
      within(error).getByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('aks-baseline-card-body'),
    ).not.toBeInTheDocument();
  });

  it('asks for the annotation when the entity has none', async () => {
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: {
        ...checkoutEntity,
        metadata: { name: 'legacy-batch', annotations: {} },
      },
    });
    const empty = await screen.findByTestId('aks-baseline-missing-annotation');
    expect(within(empty).getByText('Missing Annotation')).toBeInTheDocument();
    // How to add it: the YAML example, and the alternative annotation.
    expect(empty).toHaveTextContent('backstage.io/kubernetes-id: value');
    expect(empty).toHaveTextContent('backstage.io/kubernetes-label-selector');
    expect(
      screen.queryByRole('link', { name: /View all findings/ }),
    ).not.toBeInTheDocument();
  });

  it('says when every check passes', async () => {
    server.use(
      http.get(SCORE, () =>
        HttpResponse.json({
          ...checkoutScore,
          score: 100,
          grade: 'A',
          failingRules: [],
          counts: {
            failing: { critical: 0, high: 0, medium: 0, low: 0 },
            waived: 0,
            unknown: 0,
            manual: 0,
            notApplicable: 0,
          },
        }),
      ),
    );
    await renderWithBackend(<EntityAksBaselineCard />, {
      entity: checkoutEntity,
    });
    expect(await screen.findByText('Grade A · Excellent')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('aks-baseline-top-rules')).toHaveTextContent(
        'No failing checks',
      ),
    );
  });
});
