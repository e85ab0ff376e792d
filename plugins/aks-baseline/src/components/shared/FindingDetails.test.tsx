/*
 * A finding's details offer its own fix and the waiver for exactly that
 * finding, as text to copy: these tests fail when the text is wrong.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { FindingDetails } from './FindingDetails';

jest.setTimeout(30_000);

const NOW = new Date('2026-12-02T15:00:00Z');

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

const noRequests: Finding = {
  ruleId: 'container-resource-requests',
  baselineRef: 'RS-01',
  category: 'resources',
  severity: 'high',
  status: 'fail',
  cluster: 'aks-prod-westeurope',
  resource: {
    kind: 'Deployment',
    name: 'checkout-api',
    namespace: 'payments',
    apiVersion: 'apps/v1',
  },
  message: 'Container checkout-api sets no memory request.',
  fix: {
    kind: 'patch',
    format: 'json-patch',
    target: {
      kind: 'Deployment',
      name: 'checkout-api',
      namespace: 'payments',
      apiVersion: 'apps/v1',
    },
    operations: [
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/resources/requests/memory',
        value: '<memory, e.g. 256Mi>',
      },
    ],
    summary: 'Set a memory request on each container',
    adapt: 'The request is what the container needs: measure it',
    yaml: [
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: checkout-api',
      '          resources:',
      '            requests:',
      '              memory: <memory, e.g. 256Mi>',
      '',
    ].join('\n'),
  },
};

const trustedLaunch: Finding = {
  ruleId: 'node-pool-trusted-launch',
  baselineRef: 'NP-09',
  category: 'cluster',
  severity: 'medium',
  status: 'fail',
  cluster: 'aks-prod-westeurope',
  resource: { kind: 'AgentPool', name: 'apppool' },
  message: 'Node pool apppool runs without Trusted Launch.',
  fix: {
    kind: 'command',
    command:
      'az aks nodepool update --subscription 6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21 --resource-group rg-online-store-prod-weu --cluster-name aks-prod-westeurope --name apppool --enable-secure-boot --enable-vtpm',
    summary: 'Enable Trusted Launch on node pool apppool',
  },
};

function text(testId: string): string {
  return within(screen.getByTestId(testId)).getByText(
    (_, element) => element?.tagName === 'PRE',
  ).textContent!;
}

describe('FindingDetails: the fix and the waiver of one finding', () => {
  it("shows the finding's own patch, says it is an example to adapt, and copies it", async () => {
    const user = userEvent.setup();
    const execCommand = jest.fn().mockReturnValue(true);
    Object.defineProperty(document, 'execCommand', {
      value: execCommand,
      configurable: true,
    });
    await renderInTestApp(
      <EntityProvider entity={checkout}>
        <FindingDetails finding={noRequests} now={NOW} />
      </EntityProvider>,
    );
    const fix = screen.getByTestId('aks-baseline-fix');
    expect(fix).toHaveTextContent('Set a memory request on each container');
    expect(screen.getByTestId('aks-baseline-fix-adapt')).toHaveTextContent(
      'An example to adapt, not to apply as is. The request is what the container needs: measure it' +
        'Replace each value in angle brackets (<...>) with your own.',
    );
    expect(text('aks-baseline-fix-yaml')).toBe(
      noRequests.fix!.kind === 'patch' ? noRequests.fix!.yaml : '',
    );
    expect(text('aks-baseline-fix-patch')).toBe(
      `kubectl patch deployment checkout-api -n payments --type json -p '[{"op":"add","path":"/spec/template/spec/containers/0/resources/requests/memory","value":"<memory, e.g. 256Mi>"}]'`,
    );
    // The generic remediation snippet gives way to the exact fix.
    expect(screen.queryByTestId('aks-baseline-fix-snippet')).toBeNull();

    await user.click(
      screen.getByRole('button', { name: 'Copy the kubectl patch command' }),
    );
    await waitFor(() => expect(execCommand).toHaveBeenCalledWith('copy'));
    expect(
      screen.getByRole('button', { name: 'Copy the YAML change' }),
    ).toBeInTheDocument();
  });

  it('prefills the waiver of exactly this finding: rule, object, owner, 90 days', async () => {
    await renderInTestApp(
      <EntityProvider entity={checkout}>
        <FindingDetails finding={noRequests} now={NOW} />
      </EntityProvider>,
    );
    expect(text('aks-baseline-waiver-annotation')).toBe(
      [
        'metadata:',
        '  annotations:',
        '    aks-baseline.io/waive.container-resource-requests: "reason=<why this object is an exception, and the ticket to fix it>; expires=2027-03-02; owner=group:default/team-payments"',
        '',
      ].join('\n'),
    );
    expect(
      screen.getByTestId('aks-baseline-waiver-annotation'),
    ).toHaveTextContent(
      'in the metadata of Deployment payments/checkout-api (not its pod template)',
    );
    expect(text('aks-baseline-waiver-config')).toBe(
      [
        'aksBaseline:',
        '  baseline:',
        '    waivers:',
        '      - ruleId: container-resource-requests',
        '        owner: group:default/team-payments',
        '        reason: "<why this object is an exception, and the ticket to fix it>"',
        '        expires: 2027-03-02',
        '        scope:',
        '          cluster: aks-prod-westeurope',
        '          namespace: payments',
        '          kind: Deployment',
        '          name: checkout-api',
        '',
      ].join('\n'),
    );
    expect(
      screen.getByRole('button', { name: 'Copy the waiver annotation' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Copy the waiver configuration entry',
      }),
    ).toBeInTheDocument();
  });

  it('an Azure finding: the az command, and a waiver in configuration only', async () => {
    await renderInTestApp(<FindingDetails finding={trustedLaunch} now={NOW} />);
    expect(text('aks-baseline-fix-az')).toBe(
      'az aks nodepool update --subscription 6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21 --resource-group rg-online-store-prod-weu --cluster-name aks-prod-westeurope --name apppool --enable-secure-boot --enable-vtpm',
    );
    expect(screen.queryByTestId('aks-baseline-fix-adapt')).toBeNull();
    // A node pool has no annotations.
    expect(screen.queryByTestId('aks-baseline-waiver-annotation')).toBeNull();
    // Outside an entity page the owner is left to fill in.
    expect(text('aks-baseline-waiver-config')).toContain(
      '        owner: "<owner: a group or user entity ref>"\n',
    );
    expect(text('aks-baseline-waiver-config')).toContain(
      '        scope:\n          cluster: aks-prod-westeurope\n          kind: AgentPool\n          name: apppool\n',
    );
  });

  it('a waived finding shows its waiver, and offers none', async () => {
    await renderInTestApp(
      <FindingDetails
        finding={{
          ...noRequests,
          status: 'waived',
          waiver: {
            ruleId: 'container-resource-requests',
            reason: 'Sized by the vendor (OPS-1234)',
            owner: 'group:default/team-payments',
            expires: '2027-01-31',
            source: 'config',
          },
        }}
        now={NOW}
      />,
    );
    expect(screen.getByTestId('aks-baseline-waiver')).toHaveTextContent(
      'Why: Sized by the vendor (OPS-1234)Who: team-payments (plugin configuration)',
    );
    expect(screen.queryByTestId('aks-baseline-waiver-offer')).toBeNull();
  });
  it("says what the cluster's Safeguards do with the object at admission", async () => {
    await renderInTestApp(
      <FindingDetails
        finding={{
          ...noRequests,
          admission: {
            by: 'Deployment Safeguards',
            policy: 'Ensure resource requests',
            effect: 'mutate',
            note: 'enforced at admission by Safeguards',
          },
        }}
        now={NOW}
      />,
    );
    expect(
      screen.getByRole('heading', { level: 4, name: 'At admission' }),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('aks-baseline-finding-admission'),
    ).toHaveTextContent(
      'Deployment Safeguards (Ensure resource requests) on this cluster changes such an object at admission. The finding stays: objects admitted before remain.',
    );
  });

  it('says nothing about admission when the cluster does nothing there', async () => {
    await renderInTestApp(<FindingDetails finding={noRequests} now={NOW} />);
    expect(screen.queryByTestId('aks-baseline-finding-admission')).toBeNull();
  });
});
