import { screen, within } from '@testing-library/react';
import { http } from 'msw';
import { Table } from '@backstage/core-components';
import { Entity } from '@backstage/catalog-model';
import { createAksBaselineScoreColumn } from './AksBaselineScoreColumn';
import {
  API,
  checkoutEntity,
  demoHandlers,
  errorBody,
  renderWithBackend,
  setupMswServer,
} from '../../__testUtils__/render';

jest.setTimeout(60_000);

const server = setupMswServer();

const component = (name: string, annotations: Record<string, string>) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-payments' },
  } as Entity);

describe('createAksBaselineScoreColumn', () => {
  beforeEach(() => server.use(...demoHandlers()));

  it("shows each row's score, and a dash for an entity without one", async () => {
    let unannotatedAsked = false;
    server.use(
      http.get(`${API}/entities/default/component/billing-api/score`, () =>
        errorBody(404, 'NotFoundError', 'x', { reason: 'not-evaluated' }),
      ),
      http.get(`${API}/entities/default/component/docs-site/score`, () => {
        unannotatedAsked = true;
        return errorBody(404, 'NotFoundError', 'x');
      }),
    );
    const rows = [
      { entity: checkoutEntity, name: 'checkout-api' },
      {
        entity: component('billing-api', {
          'backstage.io/kubernetes-id': 'billing-api',
        }),
        name: 'billing-api',
      },
      { entity: component('docs-site', {}), name: 'docs-site' },
    ];
    await renderWithBackend(
      <Table
        title="Catalog"
        options={{ paging: false, search: false }}
        columns={[
          { title: 'Name', field: 'name' },
          createAksBaselineScoreColumn<(typeof rows)[number]>(),
        ]}
        data={rows}
      />,
    );
    expect(
      screen.getByRole('columnheader', { name: 'AKS Baseline' }),
    ).toBeInTheDocument();
    const checkout = screen.getByRole('row', { name: /checkout-api/ });
    expect(
      await within(checkout).findByLabelText('Grade C'),
    ).toBeInTheDocument();
    expect(checkout).toHaveTextContent('78');
    const billing = screen.getByRole('row', { name: /billing-api/ });
    expect(
      await within(billing).findByLabelText('Not evaluated yet'),
    ).toHaveTextContent('–');
    const docs = screen.getByRole('row', { name: /docs-site/ });
    expect(
      within(docs).getByLabelText('No Kubernetes annotations'),
    ).toBeInTheDocument();
    // Nothing to ask for an entity without the annotations.
    expect(unannotatedAsked).toBe(false);
  });
});
