import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kubeFixtureObjects } from '../__fixtures__/kubernetes';
import { makeSnapshot } from '../testUtils';
import { buildObjectIndex } from './object-index';
import { defaultParameters } from './params';
import { buildClusterView, Subjects } from './subjects';

describe('Subjects', () => {
  it('makes every entry, of every scope, with the same fields in the same order', () => {
    // One hidden class for all entries: fields added later would be map
    // transitions that V8 collects between evaluations (see newEntry).
    const snapshot = makeSnapshot({
      azureCluster: JSON.parse(
        readFileSync(
          path.join(__dirname, '../__fixtures__/azure/aks-show-typical.json'),
          'utf8',
        ),
      ),
      objects: kubeFixtureObjects('shopStorefront', 'legacyWeb'),
    });
    const params = defaultParameters();
    const cluster = buildClusterView(snapshot, params);
    const index = buildObjectIndex(snapshot, cluster, params);
    const subjects = new Subjects(cluster, index, params);
    const entries = [
      ...subjects.cluster,
      ...subjects.nodePool,
      ...subjects.namespace,
      ...subjects.workload,
      ...subjects.objects(['Service', 'Namespace', 'Deployment']),
    ];
    const scopes = new Set(entries.map(e => e.scope));
    expect([...scopes].sort()).toEqual([
      'cluster',
      'namespace',
      'nodePool',
      'object',
      'workload',
    ]);
    const shapes = new Set(entries.map(e => Object.keys(e).join(',')));
    expect([...shapes]).toEqual([
      'scope,subject,ref,profile,labels,object,namespace,slots,namespaceObject,annotatedWaivers',
    ]);
  });
});
