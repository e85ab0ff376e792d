/*
 * The kinds to list come from the rules (kindsToRead): every kind a check
 * looks at must be declared, as a subject kind or in `reads`. Checked by
 * running each rule of the catalog on every fixture through an index that
 * records the kinds asked for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { newEngineContext } from '../engine/context';
import { KNOWN_KINDS, WORKLOAD_KINDS } from '../engine/kinds';
import { buildObjectIndex } from '../engine/object-index';
import { defaultParameters } from '../engine/params';
import { kindsToRead, partsOf } from '../engine/rule-parts';
import { buildClusterView, checkSubject, Subjects } from '../engine/subjects';
import { ClusterSnapshot, KubeObject, ObjectIndex } from '../engine/types';
import { DEFAULT_TEST_NOW, makeSnapshot } from '../testUtils';
import { RULE_CATALOG } from '.';

const FIXTURES = path.join(__dirname, '../__fixtures__/kubernetes');

function fixtureObjects(): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const file of readdirSync(FIXTURES).filter(f => f.endsWith('.json'))) {
    const value = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
    if (Array.isArray(value.items)) objects.push(...value.items);
    else objects.push(value);
  }
  return objects;
}

const typicalCluster = JSON.parse(
  readFileSync(
    path.join(__dirname, '../__fixtures__/azure/aks-show-typical.json'),
    'utf8',
  ),
);

/** The index's lookups, each with the kinds it reads. */
function recordingIndex(index: ObjectIndex, seen: Set<string>): ObjectIndex {
  const byMethod: Record<string, (args: unknown[]) => readonly string[]> = {
    ofKind: ([kind]) => [kind as string],
    inNamespace: ([, kind]) => [kind as string],
    get: ([kind]) => [kind as string],
    kindStatus: ([kind]) => [kind as string],
    kindReason: ([kind]) => [kind as string],
    namespaces: () => ['Namespace'],
    namespace: () => ['Namespace'],
    workloads: () => WORKLOAD_KINDS,
    servicesSelecting: () => ['Service'],
    pdbsCovering: () => ['PodDisruptionBudget'],
    autoscalersTargeting: () => [
      'HorizontalPodAutoscaler',
      'VerticalPodAutoscaler',
    ],
    networkPoliciesSelecting: () => ['NetworkPolicy'],
    all: () => ['(every kind)'],
  };
  return new Proxy(index, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      const kinds = byMethod[property as string];
      if (typeof value !== 'function' || !kinds) return value;
      return (...args: unknown[]) => {
        for (const kind of kinds(args)) seen.add(kind);
        return value.apply(target, args);
      };
    },
  });
}

/** The kinds a rule's checks asked the index about on a snapshot. */
function kindsAskedFor(
  rule: (typeof RULE_CATALOG)[number],
  snapshot: ClusterSnapshot,
): Set<string> {
  const seen = new Set<string>();
  const params = defaultParameters();
  const cluster = buildClusterView(snapshot, params);
  const index = buildObjectIndex(snapshot, cluster, params);
  const subjects = new Subjects(cluster, index, params);
  const ctx = newEngineContext(
    cluster,
    recordingIndex(index, seen),
    params,
    DEFAULT_TEST_NOW,
  );
  for (const entry of subjects.forRule(partsOf(rule))) {
    checkSubject(rule, entry, ctx);
  }
  return seen;
}

describe('the kinds rules read', () => {
  const objects = fixtureObjects();
  const snapshots = (['cluster', 'manifests'] as const).map(mode =>
    makeSnapshot({
      azureCluster: typicalCluster,
      objects: structuredClone(objects),
      coverage: { mode },
    }),
  );

  it.each(RULE_CATALOG.filter(r => !r.manual).map(r => [r.id, r] as const))(
    '%s declares every kind its check reads',
    (_id, rule) => {
      const parts = partsOf(rule);
      const declared = new Set([
        // The engine reads Namespaces for every subject's profile.
        'Namespace',
        ...parts.subjectKinds,
        ...parts.reads,
      ]);
      const undeclared = new Set<string>();
      for (const snapshot of snapshots) {
        for (const kind of kindsAskedFor(rule, snapshot)) {
          if (!declared.has(kind)) undeclared.add(kind);
        }
      }
      expect([...undeclared]).toEqual([]);
    },
  );

  it('lists every kind the engine knows for the whole catalog, never Secrets', () => {
    const kinds = kindsToRead(RULE_CATALOG).map(k => k.kind);
    expect(kinds).toEqual(KNOWN_KINDS.map(k => k.kind));
    expect(kinds).not.toContain('Secret');
  });
});
