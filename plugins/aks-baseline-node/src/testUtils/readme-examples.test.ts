/*
 * The examples of the package README ("Writing a rule"), as written there:
 * if one stops compiling or passing, the guide is wrong.
 */
import {
  deployment,
  evaluateRule,
  kubeObject,
  makeSnapshot,
  outcomeFor,
} from '@aks-baseline/plugin-aks-baseline-node/testUtils';
import {
  fail,
  kindsToRead,
  PASS,
  type ContainerRule,
  type ObjectRule,
} from '@aks-baseline/plugin-aks-baseline-node';

const WIDGET = {
  kind: 'Widget',
  group: 'acme.example.com',
  version: 'v1',
  plural: 'widgets',
};

const widgetOwned: ObjectRule = {
  id: 'acme-widget-owned',
  baselineRef: 'OP-05',
  category: 'operations',
  severity: 'low',
  title: 'Widgets name their owner',
  rationale: 'Someone must answer for a widget when it breaks.',
  remediation: { summary: 'Set spec.owner to the owning team.' },
  scope: 'object',
  source: 'kubernetes',
  appliesTo: { kinds: [WIDGET], profiles: ['production'] },
  check: widget =>
    typeof widget.spec?.owner === 'string'
      ? PASS
      : fail(`Widget ${widget.metadata.name} names no owner`, [
          { path: 'spec.owner', value: widget.spec?.owner, expected: 'a team' },
        ]),
};

const noLatest: ContainerRule = {
  id: 'acme-no-latest',
  baselineRef: 'IM-01',
  category: 'images',
  severity: 'high',
  title: 'No :latest',
  rationale: 'r',
  remediation: { summary: 's' },
  scope: 'workload',
  source: 'kubernetes',
  container: {
    check: (container, ctx) =>
      container.image?.endsWith(':latest')
        ? [{ path: `${ctx.path}.image`, value: container.image }]
        : undefined,
    message: (containers, _evidence, ctx) =>
      `${ctx.workload.kind} ${ctx.workload.name}: ${containers.join(
        ', ',
      )} run :latest`,
  },
};

describe('the README examples', () => {
  it('an object rule on a custom resource', () => {
    const snapshot = makeSnapshot({
      managedCluster: { name: 'aks', tags: { Environment: 'Production' } },
      objects: [
        kubeObject(
          'Widget',
          'orphan',
          'shop',
          {},
          {
            apiVersion: 'acme.example.com/v1',
          },
        ),
      ],
      kinds: kindsToRead([widgetOwned]),
    });
    expect(
      outcomeFor(evaluateRule(widgetOwned, snapshot), 'orphan'),
    ).toMatchObject({
      status: 'fail',
      message: 'Widget orphan names no owner',
    });
  });

  it('a container rule', () => {
    const outcomes = evaluateRule(
      noLatest,
      makeSnapshot({
        objects: [
          deployment('web', 'shop', {
            containers: [{ name: 'web', image: 'nginx:latest' }],
          }),
        ],
      }),
    );
    expect(outcomeFor(outcomes, 'web', 'shop')).toMatchObject({
      status: 'fail',
      message: 'Deployment web: web run :latest',
      evidence: [
        {
          path: 'spec.template.spec.containers[0].image',
          value: 'nginx:latest',
        },
      ],
    });
  });
});
