/*
 * A rule of your own on a custom resource the engine does not know: the
 * readers keep its objects when given the rules' kinds, the engine judges
 * them, and an absent CRD or a manifest scan without them is said so.
 */
import { readSnapshot } from '../readers';
import { RULE_CATALOG } from '../rules';
import { evaluateRule, kubeObject, makeSnapshot } from '../testUtils';
import { evaluate } from './evaluate';
import { fail, PASS } from './outcomes';
import { kindsToRead, partsOf, RuleDefinitionError } from './rule-parts';
import { CustomKind, NamespaceRule, ObjectRule } from './rule';

const WIDGET: CustomKind = {
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
  rationale: 'Someone must answer for a widget.',
  remediation: { summary: 'Set spec.owner.' },
  scope: 'object',
  source: 'kubernetes',
  appliesTo: { kinds: [WIDGET] },
  check: w =>
    typeof w.spec?.owner === 'string'
      ? PASS
      : fail(`Widget ${w.metadata.name} has no owner`, [
          { path: 'spec.owner', value: w.spec?.owner, expected: 'a team' },
        ]),
};

const namespaceHasWidget: NamespaceRule = {
  id: 'acme-namespace-widget',
  baselineRef: 'OP-05',
  category: 'operations',
  severity: 'low',
  title: 'Every namespace has a widget',
  rationale: 'Widgets keep namespaces tidy.',
  remediation: { summary: 'Add a Widget.' },
  scope: 'namespace',
  source: 'kubernetes',
  reads: [WIDGET],
  check: (ns, ctx) =>
    ctx.index.inNamespace(ns.name, 'Widget').length > 0
      ? PASS
      : fail(`Namespace ${ns.name} has no Widget`),
};

const widget = (name: string, namespace: string, spec: object) =>
  kubeObject('Widget', name, namespace, spec, {
    apiVersion: 'acme.example.com/v1',
  });

const dump = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    kubeObject('Namespace', 'shop'),
    kubeObject('Namespace', 'empty'),
    widget('owned', 'shop', { owner: 'team-a' }),
    widget('orphan', 'shop', {}),
    // Another tool's Widget: not the one the rule reads.
    kubeObject('Widget', 'foreign', 'shop', {}, { apiVersion: 'other.io/v1' }),
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.acme.example.com' },
    },
  ],
};

const rules = [widgetOwned, namespaceHasWidget];

describe('rules on custom resources', () => {
  it('lists the custom kind with where it is served', () => {
    const kinds = kindsToRead(rules);
    expect(kinds.map(k => k.kind)).toEqual([
      'Namespace',
      'CustomResourceDefinition',
      'Widget',
    ]);
    expect(kinds.find(k => k.kind === 'Widget')).toMatchObject({
      group: 'acme.example.com',
      apiVersion: 'acme.example.com/v1',
      plural: 'widgets',
      namespaced: true,
      crd: true,
    });
    // The built-in catalog does not read it.
    expect(kindsToRead(RULE_CATALOG).map(k => k.kind)).not.toContain('Widget');
  });

  it('keeps its objects only when the readers are given the kinds', () => {
    const without = readSnapshot({
      name: 'c',
      kubernetes: [{ file: 'dump.json', value: dump }],
    });
    expect(without.objects.map(o => o.kind)).not.toContain('Widget');
    expect(without.ignoredKinds).toMatchObject({ Widget: 3 });

    const snapshot = readSnapshot({
      name: 'c',
      kubernetes: [{ file: 'dump.json', value: dump }],
      kinds: kindsToRead(rules),
    });
    expect(
      snapshot.objects
        .filter(o => o.kind === 'Widget')
        .map(o => o.metadata.name),
    ).toEqual(['owned', 'orphan']);
    expect(snapshot.ignoredKinds).toEqual({ 'Widget (other.io/v1)': 1 });
    expect(snapshot.customKinds?.map(k => k.kind)).toEqual(['Widget']);
    expect(snapshot.coverage.absentKinds).not.toContain('Widget');
  });

  it('judges them in evaluate()', () => {
    const snapshot = readSnapshot({
      name: 'c',
      kubernetes: [{ file: 'dump.json', value: dump }],
      kinds: kindsToRead(rules),
    });
    const result = evaluate(snapshot, { rules, now: new Date() });
    expect(
      result.findings.map(f => [f.ruleId, f.resource.name, f.message]),
    ).toEqual([
      ['acme-widget-owned', 'orphan', 'Widget orphan has no owner'],
      ['acme-namespace-widget', 'empty', 'Namespace empty has no Widget'],
    ]);
  });

  it('is not applicable when its CRD is not installed, naming the CRD', () => {
    const snapshot = readSnapshot({
      name: 'c',
      kubernetes: [
        {
          file: 'dump.json',
          value: { ...dump, items: [kubeObject('Namespace', 'shop')] },
        },
      ],
      kinds: kindsToRead(rules),
    });
    expect(snapshot.coverage.absentKinds).toContain('Widget');
    const result = evaluate(snapshot, { rules, now: new Date() });
    expect(result.findings.map(f => [f.ruleId, f.status, f.message])).toEqual([
      [
        'acme-namespace-widget',
        'not-applicable',
        'The Widget CRD (widgets.acme.example.com) is not installed in the cluster',
      ],
    ]);
  });

  it('is not judged on manifests that hold none for a namespace', () => {
    const [outcome] = evaluateRule(
      namespaceHasWidget,
      makeSnapshot({
        objects: [kubeObject('Namespace', 'shop')],
        kinds: kindsToRead(rules),
        coverage: { mode: 'manifests' },
      }),
    );
    expect(outcome).toMatchObject({
      status: 'unknown',
      notProvided: { kind: 'Widget', namespace: 'shop' },
      message:
        'No Widget objects in namespace shop are among the manifests: the cluster may hold some, so their absence is not evidence',
    });
  });
});

describe('definitions the engine refuses', () => {
  const base = {
    baselineRef: 'OP-05',
    category: 'operations' as const,
    severity: 'low' as const,
    title: 't',
    rationale: 'r',
    remediation: { summary: 's' },
    source: 'kubernetes' as const,
  };

  it.each([
    [
      'a kind it does not know, undeclared',
      { ...base, id: 'x', scope: 'object', appliesTo: { kinds: ['Gadget'] } },
      /names kind Gadget, which the engine does not know/,
    ],
    [
      'a custom kind without its plural',
      {
        ...base,
        id: 'x',
        scope: 'namespace',
        reads: [{ kind: 'Gadget', group: 'acme.io', version: 'v1' }],
      },
      /declares kind Gadget without its group, version and plural/,
    ],
    [
      'a built-in kind name in another group',
      {
        ...base,
        id: 'x',
        scope: 'object',
        appliesTo: {
          kinds: [
            {
              kind: 'Gateway',
              group: 'networking.istio.io',
              version: 'v1',
              plural: 'gateways',
            },
          ],
        },
      },
      /give the custom resource another kind name/,
    ],
    [
      'an object rule without kinds',
      { ...base, id: 'x', scope: 'object', appliesTo: {} },
      /an object rule names its kinds/,
    ],
    [
      'kinds on a namespace rule',
      { ...base, id: 'x', scope: 'namespace', appliesTo: { kinds: ['Pod'] } },
      /a namespace rule has no appliesTo.kinds/,
    ],
    [
      'a workload rule on a kind that is no workload',
      {
        ...base,
        id: 'x',
        scope: 'workload',
        appliesTo: { kinds: ['Service'] },
      },
      /Service is not a workload kind/,
    ],
    [
      'no check',
      { ...base, id: 'x', scope: 'namespace' },
      /no check \(and not a manual rule\)/,
    ],
    [
      'a container rule with a check of its own',
      {
        ...base,
        id: 'x',
        scope: 'workload',
        check: () => PASS,
        container: { check: () => undefined, message: () => '' },
      },
      /a container rule has no check of its own/,
    ],
    [
      'an ARM rule on namespaces',
      {
        ...base,
        id: 'x',
        source: 'arm',
        scope: 'namespace',
        check: () => PASS,
      },
      /an ARM rule is a cluster or node-pool rule/,
    ],
  ])('%s', (_what, definition, message) => {
    const rule = { check: () => PASS, ...definition } as any;
    if (_what === 'no check') delete rule.check;
    expect(() => partsOf(rule)).toThrow(RuleDefinitionError);
    expect(() => partsOf(rule)).toThrow(message);
    // evaluate() refuses it before reading anything, naming the rule.
    expect(() => evaluate(makeSnapshot(), { rules: [rule] })).toThrow(
      /^Rule x: /,
    );
  });

  it('needs the rules', () => {
    expect(() => evaluate(makeSnapshot(), {} as any)).toThrow(
      /evaluate\(\) needs the rules to run/,
    );
  });
});
