import {
  kindsToRead,
  KindTable,
  readSnapshot,
  RULE_CATALOG,
  SnapshotReadError,
} from '@aks-baseline/plugin-aks-baseline-node';
import { rules as exampleRules } from '@internal/aks-baseline-example-custom-rule';
import { parseSource } from './load/documents';
import { Fates, fateOf, forEachObject } from './objects';

const object = (apiVersion: string, kind: string, extra = {}) => ({
  apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'apps' },
  ...extra,
});

describe('fateOf', () => {
  it.each([
    ['apps/v1', 'Deployment', { fate: 'evaluated' }],
    ['v1', 'Namespace', { fate: 'evaluated' }],
    ['v1', 'ConfigMap', { fate: 'ignored', label: 'ConfigMap' }],
    ['v1', 'Secret', { fate: 'ignored', label: 'Secret' }],
    // Another tool's kind with a name the rules know: not the kind they read.
    [
      'networking.istio.io/v1',
      'Gateway',
      { fate: 'ignored', label: 'Gateway (networking.istio.io/v1)' },
    ],
  ])('%s %s', (apiVersion, kind, expected) => {
    expect(fateOf(object(apiVersion, kind))).toEqual(expected);
  });

  it('skips a kind the rules read in a Kubernetes group the engine does not evaluate, naming it', () => {
    expect(fateOf(object('networking.x-k8s.io/v1alpha1', 'Gateway'))).toEqual({
      fate: 'skipped',
      object: {
        kind: 'Gateway',
        apiVersion: 'networking.x-k8s.io/v1alpha1',
        namespace: 'apps',
        name: 'x',
      },
      reason:
        'Gateway apps/x: apiVersion networking.x-k8s.io/v1alpha1 is not evaluated (the rules read Gateway as gateway.networking.k8s.io/v1)',
    });
  });

  it('evaluates the custom resources the rule set reads, in their group only', () => {
    const kinds = new KindTable(
      kindsToRead([...RULE_CATALOG, ...exampleRules]),
    );
    const release = object('helm.toolkit.fluxcd.io/v2', 'HelmRelease');
    expect(fateOf(release, kinds)).toEqual({ fate: 'evaluated' });
    // The built-in catalog alone reads no HelmRelease.
    expect(fateOf(release)).toEqual({ fate: 'ignored', label: 'HelmRelease' });
    expect(fateOf(object('helm.example.com/v1', 'HelmRelease'), kinds)).toEqual(
      { fate: 'ignored', label: 'HelmRelease (helm.example.com/v1)' },
    );
    expect(
      fateOf(object('source.toolkit.fluxcd.io/v1', 'HelmRepository'), kinds),
    ).toEqual({ fate: 'ignored', label: 'HelmRepository' });
    expect(fateOf(object('apps/v1', 'Deployment'), kinds)).toEqual({
      fate: 'evaluated',
    });
  });

  it('leaves what the engine rejects (no kind) to the engine', () => {
    expect(fateOf({ metadata: { name: 'x' } })).toBeUndefined();
  });
});

describe('Fates', () => {
  const fatesOf = (text: string, kinds?: KindTable) => {
    const fates = new Fates([], kinds);
    for (const doc of parseSource(text, 'in.yaml')) {
      forEachObject(doc, (o, line) => fates.add(o, doc.file, line));
    }
    return fates;
  };

  it('counts what the engine keeps and drops, items of nested and typed Lists included', () => {
    const fates = fatesOf(`apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
- apiVersion: v1
  kind: PodList
  items:
  - metadata: {name: p, namespace: apps}
    spec: {containers: [{name: c, image: a:1}]}
- apiVersion: networking.x-k8s.io/v1alpha1
  kind: Gateway
  metadata: {name: g, namespace: apps}
`);
    expect(fates.evaluated).toBe(1);
    expect(fates.ignoredKinds).toEqual({ ConfigMap: 1 });
    expect(fates.skipped.map(s => [s.file, s.line])).toEqual([['in.yaml', 12]]);
    const snapshot = readSnapshot({
      name: 'm',
      kubernetes: fates.documents,
      mode: 'manifests',
    });
    expect(() => fates.settle(snapshot, () => undefined)).not.toThrow();
    expect(snapshot.objects.map(o => o.metadata.name)).toEqual(['p']);
  });

  it('counts custom resources as the engine reads them with the same kinds', () => {
    const infos = kindsToRead([...RULE_CATALOG, ...exampleRules]);
    const fates = fatesOf(
      `apiVersion: helm.toolkit.fluxcd.io/v2beta2
kind: HelmRelease
metadata: {name: web, namespace: shop}
spec: {chart: {spec: {chart: web}}}
---
apiVersion: helm.example.com/v1
kind: HelmRelease
metadata: {name: other, namespace: shop}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: shop}
`,
      new KindTable(infos),
    );
    expect(fates.evaluated).toBe(1);
    expect(fates.ignoredKinds).toEqual({
      'HelmRelease (helm.example.com/v1)': 1,
      HelmRepository: 1,
    });
    const snapshot = readSnapshot({
      name: 'm',
      kubernetes: fates.documents,
      mode: 'manifests',
      kinds: infos,
    });
    expect(() => fates.settle(snapshot, () => undefined)).not.toThrow();
    expect(snapshot.objects.map(o => o.metadata.name)).toEqual(['web']);
  });

  it('reads Lists whose items are null or missing as empty, as the engine does (nested ones too)', () => {
    const fates = fatesOf(`apiVersion: v1
kind: List
items: null
---
apiVersion: v1
kind: List
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: PodList
  items:
- apiVersion: v1
  kind: ServiceList
  items: null
`);
    expect(fates.evaluated).toBe(0);
    expect(fates.ignoredKinds).toEqual({});
    const snapshot = readSnapshot({
      name: 'm',
      kubernetes: fates.documents,
      mode: 'manifests',
    });
    expect(() => fates.settle(snapshot, () => undefined)).not.toThrow();
  });

  it('says so loudly when the engine kept or dropped what it did not count', () => {
    const fates = fatesOf(`apiVersion: v1
kind: ConfigMap
metadata: {name: a}
`);
    const snapshot = readSnapshot({
      name: 'm',
      kubernetes: fates.documents,
      mode: 'manifests',
    });
    expect(() =>
      fates.settle({ ...snapshot, ignoredKinds: {} }, () => undefined),
    ).toThrow(
      /the engine kept 0 objects, skipped 0 and dropped 0; the CLI counted 0 to evaluate, 1 ignored/,
    );
    expect(() =>
      fates.settle({ ...snapshot, objects: [{} as any] }, () => undefined),
    ).toThrow(/the engine kept 1 objects/);
  });

  it('lists what the engine skipped as incomplete at its line', () => {
    const fates = fatesOf(`apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: apps}
  spec: {replicas: 3}
`);
    expect(fates.evaluated).toBe(1);
    const snapshot = readSnapshot({
      name: 'm',
      kubernetes: fates.documents,
      mode: 'manifests',
    });
    fates.settle(snapshot, () => undefined);
    expect(fates.evaluated).toBe(0);
    expect(fates.skipped).toEqual([
      {
        file: 'in.yaml',
        line: 4,
        reason: expect.stringMatching(
          /^Deployment apps\/web: incomplete Deployment: spec\.template/,
        ),
        object: {
          kind: 'Deployment',
          apiVersion: 'apps/v1',
          namespace: 'apps',
          name: 'web',
        },
      },
    ]);
  });

  it("turns the engine's error about an object into one at the object's file and line", () => {
    const fates = fatesOf(`apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {namespace: apps}
`);
    let error: unknown;
    try {
      readSnapshot({ name: 'm', kubernetes: fates.documents });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SnapshotReadError);
    expect(fates.inputError(error as SnapshotReadError).message).toBe(
      'in.yaml:4: metadata.name: expected a non-empty string, found nothing',
    );
  });
});
