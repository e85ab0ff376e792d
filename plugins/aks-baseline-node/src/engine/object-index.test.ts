import {
  deployment,
  kubeObject,
  makeSnapshot,
  namespaceObject,
} from '../testUtils';
import { matchesMapSelector, matchesSelector } from './labels';
import { buildObjectIndex, toWorkloadView } from './object-index';
import { defaultParameters } from './params';
import { buildClusterView } from './subjects';
import { ClusterSnapshot } from './types';

function index(snapshot: ClusterSnapshot) {
  const params = defaultParameters();
  return buildObjectIndex(snapshot, buildClusterView(snapshot, params), params);
}

describe('buildObjectIndex', () => {
  const web = deployment('web', 'shop');
  const rs = kubeObject(
    'ReplicaSet',
    'web-5d4f',
    'shop',
    {
      replicas: 2,
      template: { metadata: { labels: { app: 'web' } }, spec: {} },
    },
    {
      metadata: {
        name: 'web-5d4f',
        namespace: 'shop',
        ownerReferences: [
          { kind: 'Deployment', name: 'web', controller: true },
        ],
      },
    },
  );
  const pod = kubeObject(
    'Pod',
    'web-5d4f-abcde',
    'shop',
    { containers: [{ name: 'web', image: 'x' }] },
    {
      metadata: {
        name: 'web-5d4f-abcde',
        namespace: 'shop',
        labels: { app: 'web' },
        ownerReferences: [
          { kind: 'ReplicaSet', name: 'web-5d4f', controller: true },
        ],
      },
    },
  );
  const bare = kubeObject('Pod', 'debug', 'shop', {
    restartPolicy: 'Never',
    containers: [{ name: 'debug', image: 'busybox' }],
  });
  const cron = kubeObject('CronJob', 'report', 'shop', {
    schedule: '0 * * * *',
    jobTemplate: {
      spec: {
        template: {
          metadata: { labels: { job: 'r' } },
          spec: { containers: [] },
        },
      },
    },
  });
  const job = kubeObject(
    'Job',
    'report-123',
    'shop',
    { template: { spec: {} } },
    {
      metadata: {
        name: 'report-123',
        namespace: 'shop',
        ownerReferences: [
          { kind: 'CronJob', name: 'report', controller: true },
        ],
      },
    },
  );
  const svc = kubeObject('Service', 'web', 'shop', {
    selector: { app: 'web' },
  });
  const otherSvc = kubeObject('Service', 'api', 'shop', {
    selector: { app: 'api' },
  });
  const noSelector = kubeObject('Service', 'ext', 'shop', {
    type: 'ExternalName',
  });
  const pdb = kubeObject('PodDisruptionBudget', 'web', 'shop', {
    minAvailable: 1,
    selector: {
      matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'x'] }],
    },
  });
  const denyAll = kubeObject('NetworkPolicy', 'deny', 'shop', {
    podSelector: {},
    policyTypes: ['Ingress'],
  });
  const allowApi = kubeObject('NetworkPolicy', 'allow-api', 'shop', {
    podSelector: { matchLabels: { app: 'api' } },
  });
  const hpa = kubeObject('HorizontalPodAutoscaler', 'web', 'shop', {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
  });
  const vpaElsewhere = kubeObject('VerticalPodAutoscaler', 'web', 'other', {
    targetRef: { kind: 'Deployment', name: 'web' },
  });

  const snap = makeSnapshot({
    managedCluster: { name: 'aks-prod', tags: { environment: 'Production' } },
    objects: [
      namespaceObject('shop', { 'aks-baseline.io/environment': 'dev' }),
      namespaceObject('payments'),
      web,
      rs,
      pod,
      bare,
      cron,
      job,
      svc,
      otherSvc,
      noSelector,
      pdb,
      denyAll,
      allowApi,
      hpa,
      vpaElsewhere,
    ],
  });
  const idx = index(snap);

  it('lists declared and seen namespaces with profiles', () => {
    expect(idx.namespaces().map(n => [n.name, n.profile])).toEqual([
      ['other', 'production'],
      ['payments', 'production'],
      ['shop', 'non-production'],
    ]);
    expect(idx.namespace('other')?.object).toBeUndefined();
  });

  it('keeps only top-level workloads', () => {
    expect(
      idx
        .workloads()
        .map(w => `${w.kind}/${w.name}`)
        .sort(),
    ).toEqual(['CronJob/report', 'Deployment/web', 'Pod/debug']);
    const cj = idx.workloads().find(w => w.kind === 'CronJob')!;
    expect(cj.podSpecPath).toBe('spec.jobTemplate.spec.template.spec');
    expect(cj.podMeta.labels).toEqual({ job: 'r' });
    expect(cj.longRunning).toBe(false);
    const debug = idx.workloads().find(w => w.name === 'debug')!;
    expect(debug.longRunning).toBe(false);
    expect(debug.podSpecPath).toBe('spec');
    const d = idx.workloads().find(w => w.kind === 'Deployment')!;
    expect(d.replicas).toBe(2);
    expect(d.longRunning).toBe(true);
    expect(d.profile).toBe('non-production');
  });

  it('answers selector lookups', () => {
    const d = idx.workloads().find(w => w.kind === 'Deployment')!;
    expect(idx.servicesSelecting(d)).toEqual([svc]);
    expect(idx.pdbsCovering(d)).toEqual([pdb]);
    expect(idx.networkPoliciesSelecting(d)).toEqual([denyAll]);
    expect(idx.autoscalersTargeting(d)).toEqual([hpa]);
    const cj = idx.workloads().find(w => w.kind === 'CronJob')!;
    expect(idx.servicesSelecting(cj)).toEqual([]);
    expect(idx.autoscalersTargeting(cj)).toEqual([]);
  });

  it('gets objects by kind, namespace and name', () => {
    expect(idx.get('Service', 'shop', 'web')).toBe(svc);
    expect(idx.get('Namespace', undefined, 'shop')?.kind).toBe('Namespace');
    expect(idx.get('Service', 'other', 'web')).toBeUndefined();
    expect(idx.inNamespace('shop', 'NetworkPolicy')).toHaveLength(2);
    expect(idx.ofKind('Ingress')).toEqual([]);
  });

  it('reports kind status from coverage', () => {
    const s = makeSnapshot({
      objects: [deployment('a', 'b')],
      coverage: {
        mode: 'manifests',
        unreadable: { Service: '403 Forbidden' },
        absentKinds: ['Schedule'],
        providedKinds: ['ResourceQuota'],
      },
    });
    const i = index(s);
    expect(i.kindStatus('Deployment')).toBe('read');
    expect(i.kindStatus('ResourceQuota')).toBe('read');
    expect(i.kindStatus('LimitRange')).toBe('not-provided');
    expect(i.kindStatus('Service')).toBe('unreadable');
    expect(i.kindReason('Service')).toBe(
      'Service objects could not be read: 403 Forbidden',
    );
    expect(i.kindStatus('Schedule')).toBe('absent');
    expect(i.kindReason('Schedule')).toBe(
      'The Schedule CRD (schedules.velero.io) is not installed in the cluster',
    );
    expect(idx.kindStatus('LimitRange')).toBe('read');
  });
});

describe('precomputed selections', () => {
  // Selectors of every shape against workloads of varied labels, in two
  // namespaces: the index must agree with a plain scan, in object order.
  const labelSets: Record<string, unknown>[] = [
    { app: 'a', tier: 'web' },
    { app: 'a', tier: 'db' },
    { app: 'b' },
    { tier: 'web' },
    {},
    { app: 'a', version: 2 },
    { version: '2', app: 'b' },
  ];
  const labelSelectors: unknown[] = [
    { matchLabels: { app: 'a' } },
    { matchLabels: { tier: 'web', app: 'a' } },
    { matchLabels: { app: 'zzz' } },
    { matchLabels: { version: 2 } },
    { matchLabels: {} },
    {},
    { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] },
    {
      matchLabels: { app: 'a' },
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
    },
    { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
    null,
    'app=a',
  ];
  const mapSelectors: unknown[] = [
    { app: 'a' },
    { tier: 'web', app: 'a' },
    { app: 'b', version: '2' },
    { version: 2 },
    {},
    null,
    undefined,
  ];
  const objects = [namespaceObject('one'), namespaceObject('two')];
  for (const ns of ['one', 'two']) {
    labelSets.forEach((labels, i) =>
      objects.push(
        deployment(`w${i}`, ns, undefined, {
          podLabels: labels as Record<string, string>,
        }),
      ),
    );
    labelSelectors.forEach((selector, i) => {
      objects.push(
        kubeObject('PodDisruptionBudget', `pdb${i}`, ns, { selector }),
        kubeObject('NetworkPolicy', `np${i}`, ns, { podSelector: selector }),
      );
    });
    objects.push(kubeObject('NetworkPolicy', 'no-selector', ns, {}));
    mapSelectors.forEach((selector, i) =>
      objects.push(kubeObject('Service', `svc${i}`, ns, { selector })),
    );
  }
  const idx = index(makeSnapshot({ objects }));

  function scan(
    ns: string,
    kind: string,
    matches: (o: (typeof objects)[number]) => boolean,
  ) {
    return idx.inNamespace(ns, kind).filter(matches);
  }

  it('agrees with a scan of the namespace for every workload', () => {
    expect(idx.workloads()).toHaveLength(labelSets.length * 2);
    for (const w of idx.workloads()) {
      const labels = w.podMeta.labels;
      expect(idx.servicesSelecting(w)).toEqual(
        scan(w.namespace, 'Service', s =>
          matchesMapSelector(s.spec?.selector, labels),
        ),
      );
      expect(idx.pdbsCovering(w)).toEqual(
        scan(w.namespace, 'PodDisruptionBudget', p =>
          matchesSelector(p.spec?.selector, labels),
        ),
      );
      expect(idx.networkPoliciesSelecting(w)).toEqual(
        scan(w.namespace, 'NetworkPolicy', p =>
          matchesSelector(p.spec?.podSelector ?? {}, labels),
        ),
      );
    }
    const w0 = idx
      .workloads()
      .find(w => w.name === 'w0' && w.namespace === 'two')!;
    expect(idx.servicesSelecting(w0).map(s => s.metadata.name)).toEqual([
      'svc0',
      'svc1',
    ]);
    expect(idx.pdbsCovering(w0).map(p => p.metadata.name)).toEqual([
      'pdb0',
      'pdb1',
      'pdb4',
      'pdb5',
      'pdb6',
      'pdb7',
    ]);
  });

  it('answers for workload views it did not build', () => {
    const view = toWorkloadView(
      deployment('outside', 'one', undefined, { podLabels: { app: 'a' } }),
      'production',
    )!;
    expect(idx.servicesSelecting(view).map(s => s.metadata.name)).toEqual([
      'svc0',
    ]);
    expect(idx.pdbsCovering(view).map(p => p.metadata.name)).toEqual([
      'pdb0',
      'pdb4',
      'pdb5',
      'pdb7',
    ]);
  });
});
