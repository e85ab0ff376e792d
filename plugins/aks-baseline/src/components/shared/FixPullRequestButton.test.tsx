import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import { scaffolderTemplateRouteRef } from '../../routes';
import { FixPullRequestButton } from './FixPullRequestButton';

jest.setTimeout(30_000);

const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: {
      'backstage.io/source-location':
        'url:https://github.com/contoso/orders-api/tree/main/',
      'aks-baseline.io/manifests-path': 'deploy/k8s',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

const scaffolder = {
  '/create/templates/:namespace/:templateName': scaffolderTemplateRouteRef,
};

describe('FixPullRequestButton', () => {
  it('opens the fix-pr template filled in with the entity', async () => {
    await renderInTestApp(<FixPullRequestButton entity={ordersApi} />, {
      mountedRoutes: scaffolder,
    });
    const link = screen.getByRole('button', {
      name: 'Open a fix pull request',
    });
    const href = link.getAttribute('href')!;
    expect(href).toBe(
      `/create/templates/default/aks-baseline-fix-pr?formData=${encodeURIComponent(
        '{"entity":"component:default/orders-api"}',
      )}`,
    );
    const formData = new URL(href, 'http://localhost').searchParams.get(
      'formData',
    );
    expect(JSON.parse(formData!)).toEqual({
      entity: 'component:default/orders-api',
    });
  });

  it.each([
    ['no manifests path', { 'aks-baseline.io/manifests-path': '' }],
    ['no source location', { 'backstage.io/source-location': '' }],
    [
      'a source location that is not a URL',
      { 'backstage.io/source-location': 'file:./catalog-info.yaml' },
    ],
  ])('is hidden for an entity with %s', async (_, annotations) => {
    await renderInTestApp(
      <FixPullRequestButton
        entity={{
          ...ordersApi,
          metadata: {
            ...ordersApi.metadata,
            annotations: { ...ordersApi.metadata.annotations, ...annotations },
          },
        }}
      />,
      { mountedRoutes: scaffolder },
    );
    expect(screen.queryByTestId('aks-baseline-fix-pr')).toBeNull();
  });

  it('is hidden for a cluster Resource, and without the scaffolder', async () => {
    const { unmount } = await renderInTestApp(
      <FixPullRequestButton entity={{ ...ordersApi, kind: 'Resource' }} />,
      { mountedRoutes: scaffolder },
    );
    expect(screen.queryByTestId('aks-baseline-fix-pr')).toBeNull();
    unmount();
    await renderInTestApp(<FixPullRequestButton entity={ordersApi} />);
    expect(screen.queryByTestId('aks-baseline-fix-pr')).toBeNull();
  });
});
