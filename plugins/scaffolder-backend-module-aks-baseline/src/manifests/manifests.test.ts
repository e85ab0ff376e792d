import { parse, parseAllDocuments } from 'yaml';
import { scoreObjects } from '../score';
import {
  buildNamespaceEntity,
  buildNamespaceManifests,
  NAMESPACE_MANIFEST_KINDS,
  NamespaceInput,
  resolveNamespaceSpec,
  toMultiDocumentYaml,
} from '.';
import { isQuantity, parseQuantity } from './quantity';

const CLIENT_ID = '5f0c9a52-8d0b-4a57-9a7e-3b8a1c2d4e6f';
const GROUP_ID = '0b7c8e2a-1d3f-4e5a-9b6c-7d8e9f0a1b2c';

function request(overrides: Partial<NamespaceInput> = {}): NamespaceInput {
  return {
    cluster: 'aks-dev-koreacentral',
    namespace: 'payments-dev',
    owner: 'group:default/team-payments',
    environment: 'non-production',
    workloadIdentity: {
      clientId: CLIENT_ID,
      serviceAccountName: 'payments-api',
    },
    teamGroup: GROUP_ID,
    ...overrides,
  };
}

function problemsOf(input: NamespaceInput): string {
  try {
    resolveNamespaceSpec(input);
  } catch (e) {
    expect((e as Error).name).toBe('InputError');
    return (e as Error).message;
  }
  throw new Error('expected the request to be rejected');
}

describe('quantities', () => {
  it.each([
    '500m',
    '2',
    '4Gi',
    '1.5',
    '0.5Gi',
    '1e3',
    '128974848',
    '129M',
    '.5',
  ])('accepts %s', q => expect(isQuantity(q)).toBe(true));
  it.each(['', 'Gi', '4GB', '1.2.3', 'abc', '4 Gi', '--1', '5mi'])(
    'rejects %s',
    q => expect(isQuantity(q)).toBe(false),
  );
  it('compares units', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('1Gi')).toBe(1024 ** 3);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('2e3')).toBe(2000);
  });
});

describe('resolveNamespaceSpec', () => {
  it('applies the preset, the pod security default and the role default', () => {
    const spec = resolveNamespaceSpec(request());
    expect(spec.podSecurity).toBe('baseline');
    expect(spec.quota).toEqual({
      'requests.cpu': '2',
      'requests.memory': '4Gi',
      'limits.cpu': '4',
      'limits.memory': '8Gi',
      persistentvolumeclaims: '5',
      'services.loadbalancers': '1',
    });
    expect(spec.team).toEqual({ group: GROUP_ID, role: 'edit' });
    expect(spec.owner).toBe('group:default/team-payments');
  });

  it('forces restricted in production and normalises a short owner ref', () => {
    const spec = resolveNamespaceSpec(
      request({ environment: 'production', owner: 'team-payments' }),
    );
    expect(spec.podSecurity).toBe('restricted');
    expect(spec.owner).toBe('group:default/team-payments');
  });

  it('rejects baseline for production', () => {
    expect(
      problemsOf(
        request({ environment: 'production', podSecurity: 'baseline' }),
      ),
    ).toContain('production namespaces enforce the restricted');
  });

  it('lists every problem at once', () => {
    const message = problemsOf(
      request({
        namespace: 'Payments_Dev',
        owner: 'component:default/shop',
        quota: {
          'requests.cpu': '2',
          'requests.memory': '4GB',
          'limits.cpu': '1',
          'limits.memory': '8Gi',
          persistentvolumeclaims: '2.5',
        },
        workloadIdentity: { clientId: 'not-a-uuid' },
        teamGroup: 'system:masters',
        role: 'cluster-admin',
        labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
      }),
    );
    expect(message).toContain(
      'namespace: "Payments_Dev" is not a DNS-1123 label',
    );
    expect(message).toContain('owner: "component:default/shop" is a component');
    expect(message).toContain(
      'quota.requests.memory: "4GB" is not a Kubernetes quantity',
    );
    expect(message).toContain(
      'quota.persistentvolumeclaims: "2.5" is not a whole number',
    );
    expect(message).toContain('quota.services.loadbalancers: missing');
    expect(message).toContain(
      'quota: requests.cpu (2) is above limits.cpu (1)',
    );
    expect(message).toContain(
      'workloadIdentity.clientId: "not-a-uuid" is not a UUID',
    );
    expect(message).toContain(
      'teamGroup: "system:masters" is a Kubernetes system group',
    );
    expect(message).toContain(
      'role: "cluster-admin" is not allowed (allowed: edit, view)',
    );
    expect(message).toContain(
      'labels: "pod-security.kubernetes.io/enforce" is set by the scaffolder',
    );
  });

  it('rejects reserved namespaces and an unknown preset', () => {
    expect(problemsOf(request({ namespace: 'kube-system' }))).toContain(
      'reserved',
    );
    expect(problemsOf(request({ quota: 'huge' }))).toContain(
      'quota: unknown preset "huge"',
    );
  });

  // A name from the request is looked up among the presets, never on
  // Object.prototype: these are not presets.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'rejects the prototype key %s as a quota preset',
    key => {
      expect(problemsOf(request({ quota: key }))).toContain(
        `quota: unknown preset "${key}" (configured: small, medium, large)`,
      );
    },
  );

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'rejects the prototype key %s as a LimitRange resource',
    key => {
      // As JSON.parse builds it: "__proto__" an own key, not the prototype.
      const max = JSON.parse(`{"${key}": "1"}`);
      expect(problemsOf(request({ limitRange: { max } }))).toContain(
        `limitRange.max: "${key}" is not a resource name`,
      );
    },
  );

  it('accepts the resource names a LimitRange takes', () => {
    const spec = resolveNamespaceSpec(
      request({
        limitRange: {
          max: {
            'ephemeral-storage': '4Gi',
            'hugepages-2Mi': '1Gi',
            'example.com/gpu': '1',
          },
        },
      }),
    );
    expect(spec.limitRange.max).toEqual({
      cpu: '4',
      memory: '8Gi',
      'ephemeral-storage': '4Gi',
      'hugepages-2Mi': '1Gi',
      'example.com/gpu': '1',
    });
  });

  it('checks the LimitRange ordering', () => {
    expect(
      problemsOf(request({ limitRange: { max: { cpu: '300m' } } })),
    ).toContain('max.cpu (300m) is below default.cpu (500m)');
  });
});

describe('buildNamespaceManifests', () => {
  const spec = resolveNamespaceSpec(
    request({ labels: { 'cost-center': 'cc-4711' } }),
  );
  const manifests = buildNamespaceManifests(spec);

  it('produces the six objects in apply order', () => {
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Namespace/payments-dev',
      'ResourceQuota/baseline-quota',
      'LimitRange/baseline-limits',
      'NetworkPolicy/default-deny-ingress',
      'ServiceAccount/payments-api',
      'RoleBinding/team-access',
    ]);
    expect(manifests.map(m => m.kind)).toEqual(NAMESPACE_MANIFEST_KINDS);
  });

  it('labels the namespace for Pod Security, owner and environment', () => {
    const ns = manifests[0];
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'baseline',
      'pod-security.kubernetes.io/warn': 'baseline',
      'aks-baseline.io/owner': 'team-payments',
      'app.kubernetes.io/managed-by': 'aks-baseline-scaffolder',
      environment: 'non-production',
      'cost-center': 'cc-4711',
    });
    expect(ns.metadata.annotations).toEqual({
      'aks-baseline.io/owner': 'group:default/team-payments',
      'aks-baseline.io/team-group': GROUP_ID,
    });
  });

  it('annotates the Workload Identity ServiceAccount and binds the team', () => {
    expect(manifests[4].metadata.labels).toMatchObject({
      'azure.workload.identity/use': 'true',
    });
    expect(manifests[4].metadata.annotations).toEqual({
      'azure.workload.identity/client-id': CLIENT_ID,
    });
    expect(manifests[5]).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: GROUP_ID }],
    });
    expect(manifests[3].spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
  });

  it('renders multi-document YAML that parses back to the objects', () => {
    const yaml = toMultiDocumentYaml(manifests);
    const docs = parseAllDocuments(yaml).map(d => d.toJSON());
    expect(docs).toEqual(JSON.parse(JSON.stringify(manifests)));
  });

  it('describes the namespace as a catalog Resource owned by the team', () => {
    const entity = buildNamespaceEntity(spec);
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'payments-dev.aks-dev-koreacentral' },
      spec: {
        type: 'kubernetes-namespace',
        owner: 'group:default/team-payments',
        dependsOn: ['resource:default/aks-dev-koreacentral'],
      },
    });
    expect(parse(JSON.stringify(entity))).toEqual(entity);
  });
});

describe('the generated namespace meets the baseline', () => {
  it.each([
    ['non-production', request()],
    ['production', request({ environment: 'production', quota: 'large' })],
  ])('scores 100 on the namespace rules (%s)', (_, input) => {
    const spec = resolveNamespaceSpec(input);
    const result = scoreObjects(
      [{ file: 'ns.yaml', value: buildNamespaceManifests(spec) }],
      {
        name: spec.cluster,
        namespace: spec.namespace,
        environment: spec.environment,
        providedKinds: NAMESPACE_MANIFEST_KINDS,
      },
    );
    expect(result.failing).toEqual([]);
    // Only the backup check is open: a Velero Schedule for the namespace is
    // the platform's, never among the generated objects, and its absence
    // from them proves nothing about the cluster.
    expect(result.unknown.map(u => u.baselineRef)).toEqual(['HA-05']);
    expect(result.score).toBe(100);
    // The namespace rules really ran and passed (not skipped as not-provided).
    const ns = result.result.subjects.find(s => s.ref.kind === 'Namespace');
    const passed = Object.values(ns!.tallies).reduce(
      (sum, t) => sum + (t?.passed ?? 0),
      0,
    );
    expect(passed).toBeGreaterThanOrEqual(4);
    const categories = Object.keys(ns!.tallies);
    expect(categories).toEqual(
      expect.arrayContaining(['pod-security', 'resources', 'networking']),
    );
  });

  it('fails the same rules when an object is missing (the score is not vacuous)', () => {
    const spec = resolveNamespaceSpec(request());
    const objects = buildNamespaceManifests(spec).filter(
      m => m.kind !== 'NetworkPolicy' && m.kind !== 'ResourceQuota',
    );
    const result = scoreObjects([{ file: 'ns.yaml', value: objects }], {
      name: spec.cluster,
      environment: spec.environment,
      providedKinds: NAMESPACE_MANIFEST_KINDS,
    });
    expect(result.failing.map(f => f.baselineRef).sort()).toEqual([
      'NW-03',
      'RS-03',
    ]);
    expect(result.score).toBeLessThan(100);
  });
});
