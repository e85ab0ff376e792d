import legacyWeb from '../__fixtures__/kubernetes/noncompliant-legacy-web.json';
import storefront from '../__fixtures__/kubernetes/compliant-shop-storefront.json';
import { SnapshotReadError } from './errors';
import { readKubernetesDocuments, readKubernetesText } from './kubernetes';

function errorOf(fn: () => unknown): SnapshotReadError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SnapshotReadError) return e;
    throw e;
  }
  throw new Error('expected a SnapshotReadError');
}

const deploymentYaml = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: contoso.azurecr.io/web:1.4.2
`;

describe('readKubernetesText', () => {
  it('reads kubectl Lists (JSON)', () => {
    const result = readKubernetesText(JSON.stringify(legacyWeb), 'legacy.json');
    expect(result.objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(
      legacyWeb.items.map(i => `${i.kind}/${i.metadata.name}`),
    );
    expect(result.ignoredKinds).toEqual({});
  });

  it('reads multi-document YAML, skipping empty documents and unknown kinds', () => {
    const text = `---\n${deploymentYaml}\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: cfg }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { password: c2VjcmV0 }\n`;
    const result = readKubernetesText(text, 'app.yaml');
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { replicas: 2 },
    });
    expect(result.ignoredKinds).toEqual({ ConfigMap: 1, Secret: 1 });
  });

  it('never keeps Secrets, even inside Lists', () => {
    const result = readKubernetesDocuments(
      [
        {
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } },
          ],
        },
      ],
      'f.json',
    );
    expect(result.objects).toEqual([]);
    expect(result.ignoredKinds).toEqual({ Secret: 1 });
  });

  it('reads typed Lists whose items omit kind, JSON arrays, and single objects', () => {
    const typed = readKubernetesDocuments(
      [
        {
          apiVersion: 'apps/v1',
          kind: 'DeploymentList',
          items: [
            {
              metadata: { name: 'a', namespace: 'n' },
              spec: {
                template: { spec: { containers: [{ name: 'a', image: 'a' }] } },
              },
            },
          ],
        },
      ],
      'typed.json',
    );
    expect(typed.objects[0]).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
    });
    const array = readKubernetesText(
      JSON.stringify(storefront.items),
      'array.json',
    );
    expect(array.objects).toHaveLength(storefront.items.length);
    const single = readKubernetesText(
      JSON.stringify(storefront.items[0]),
      'one.json',
    );
    expect(single.objects).toHaveLength(1);
  });

  it('matches API groups: an Istio Gateway is not a Gateway API Gateway', () => {
    const result = readKubernetesDocuments(
      [
        [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'Gateway',
            metadata: { name: 'g' },
          },
          {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'Gateway',
            metadata: { name: 'g', namespace: 'n' },
          },
          {
            apiVersion: 'autoscaling/v1',
            kind: 'HorizontalPodAutoscaler',
            metadata: { name: 'h' },
          },
        ],
      ],
      'gw.json',
    );
    expect(result.objects.map(o => o.apiVersion)).toEqual([
      'gateway.networking.k8s.io/v1',
      'autoscaling/v1',
    ]);
    expect(result.ignoredKinds).toEqual({
      'Gateway (networking.istio.io/v1)': 1,
    });
    // Counted as another kind, not listed as skipped: nothing to judge.
    expect(result.skipped).toBeUndefined();
  });

  it('skips an object of a known kind without apiVersion, as kubectl refuses it, never filling it in', () => {
    const result = readKubernetesDocuments(
      [
        [
          { kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'a' } },
          { apiVersion: '', kind: 'Pod', metadata: { name: 'p' } },
          // Items of a typed List take the List's apiVersion, as kubectl gives them.
          {
            apiVersion: 'v1',
            kind: 'ServiceList',
            items: [{ metadata: { name: 'web' } }],
          },
          // Kinds no rule reads are counted, as before.
          { kind: 'ConfigMap', metadata: { name: 'c' } },
        ],
      ],
      'f.yaml',
    );
    expect(result.objects.map(o => `${o.apiVersion} ${o.kind}`)).toEqual([
      'v1 Service',
    ]);
    expect(result.ignoredKinds).toEqual({ ConfigMap: 1 });
    expect(result.skipped).toEqual([
      {
        file: 'f.yaml',
        path: '[0]',
        kind: 'NetworkPolicy',
        name: 'deny',
        namespace: 'a',
        reason:
          'apiVersion is missing: kubectl refuses an object without one (write apiVersion: networking.k8s.io/v1)',
      },
      {
        file: 'f.yaml',
        path: '[1]',
        kind: 'Pod',
        apiVersion: '',
        name: 'p',
        reason:
          'apiVersion is missing: kubectl refuses an object without one (write apiVersion: v1)',
      },
    ]);
  });

  it.each([
    [
      { kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'a' } }, 3] },
      'items[1]',
      'workloads.json: items[1]: expected a Kubernetes object, found number 3',
    ],
    [
      {
        kind: 'List',
        items: [{}, {}, {}, { apiVersion: 'v1', kind: 'Pod', metadata: 'x' }],
      },
      'items[0].kind',
      'workloads.json: items[0].kind: expected a Kubernetes kind, found nothing',
    ],
    [
      {
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'Pod', metadata: [] }],
      },
      'items[0].metadata',
      'workloads.json: items[0].metadata: expected an object, found an array',
    ],
    [
      { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: '' } },
      'metadata.name',
      'workloads.json: metadata.name: expected a non-empty string, found a string ("")',
    ],
    [
      {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: { name: 'a', labels: { version: 2 } },
      },
      'metadata.labels.version',
      'workloads.json: metadata.labels.version: expected a string, found number 2',
    ],
    [
      {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: {
          name: 'a',
          annotations: { 'aks-baseline.io/waive.x': true },
        },
      },
      'metadata.annotations["aks-baseline.io/waive.x"]',
      'expected a string, found boolean true',
    ],
    [
      {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name: 'a', ownerReferences: [{}] },
      },
      'metadata.ownerReferences[0]',
      'expected an object with kind and name',
    ],
    [
      { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a' }, spec: [] },
      'spec',
      'expected an object, found an array',
    ],
    [{ kind: 'List', items: {} }, 'items', 'expected a list, found an object'],
    [
      { kind: 'Pod', apiVersion: 2 },
      'apiVersion',
      'expected a string, found number 2',
    ],
  ])('rejects %j at %s', (doc, path, message) => {
    const error = errorOf(() =>
      readKubernetesDocuments([doc], 'workloads.json'),
    );
    expect(error.file).toBe('workloads.json');
    expect(error.path).toBe(path);
    expect(error.message).toContain(message);
  });

  it('names the document of a multi-document YAML file', () => {
    const error = errorOf(() =>
      readKubernetesText(
        `${deploymentYaml}---\nkind: Pod\nmetadata: 5\napiVersion: v1\n`,
        'app.yaml',
      ),
    );
    expect(error.message).toBe(
      'app.yaml: document[1].metadata: expected an object, found number 5',
    );
  });

  it('reports syntax errors with the file and line', () => {
    expect(
      errorOf(() => readKubernetesText('{"kind": "List", "items": [', 'a.json'))
        .message,
    ).toMatch(/^a\.json: line 1: not valid JSON \(/);
    expect(
      errorOf(() =>
        readKubernetesText('kind: Pod\nmetadata:\n  name: [a\n', 'b.yaml'),
      ).message,
    ).toMatch(/^b\.yaml: line \d+: not valid YAML/);
  });
});

/** A Deployment as `kubectl get deployment -o json` prints one. */
function deploymentDoc(apiVersion: string, podSpec: object = {}): any {
  return {
    apiVersion,
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'contoso.azurecr.io/web:1.0.0' }],
          ...podSpec,
        },
      },
    },
  };
}

/** A minimal whole object of `kind` in `apiVersion`. */
function objectOf(kind: string, apiVersion: string): any {
  if (['Deployment', 'DaemonSet', 'ReplicaSet'].includes(kind)) {
    return { ...deploymentDoc(apiVersion), kind };
  }
  if (kind === 'CronJob') {
    return {
      apiVersion,
      kind,
      metadata: { name: 'web' },
      spec: {
        schedule: '0 2 * * *',
        jobTemplate: {
          spec: { template: deploymentDoc('apps/v1').spec.template },
        },
      },
    };
  }
  return { apiVersion, kind, metadata: { name: 'web' } };
}

describe('objects of built-in kinds in removed or invalid API versions', () => {
  it.each([
    ['Deployment', 'extensions/v1beta1'],
    ['Deployment', 'apps/v1beta1'],
    ['Deployment', 'apps/v1beta2'],
    ['Deployment', 'v1'],
    ['DaemonSet', 'extensions/v1beta1'],
    ['ReplicaSet', 'extensions/v1beta1'],
    ['CronJob', 'batch/v1beta1'],
    ['PodDisruptionBudget', 'policy/v1beta1'],
    ['Ingress', 'extensions/v1beta1'],
    ['Ingress', 'networking.k8s.io/v1beta1'],
    ['HorizontalPodAutoscaler', 'autoscaling/v2beta1'],
    ['HorizontalPodAutoscaler', 'autoscaling/v2beta2'],
    ['ClusterRoleBinding', 'rbac.authorization.k8s.io/v1beta1'],
  ])('keeps a %s in %s (rules report the version)', (kind, apiVersion) => {
    const result = readKubernetesDocuments(
      [objectOf(kind, apiVersion)],
      'old.yaml',
    );
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]).toMatchObject({ kind, apiVersion });
    expect(result.ignoredKinds).toEqual({});
    expect(result.skipped).toBeUndefined();
  });

  it('keeps a ReplicationController (a workload of the core group)', () => {
    const rc = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy', namespace: 'shop' },
      spec: {
        replicas: 3,
        selector: { app: 'legacy' },
        template: deploymentDoc('apps/v1').spec.template,
      },
    };
    const result = readKubernetesDocuments([rc], 'rc.yaml');
    expect(result.objects.map(o => o.kind)).toEqual(['ReplicationController']);
  });

  it("counts a built-in kind name in another tool's group as another kind (a Calico NetworkPolicy)", () => {
    const result = readKubernetesDocuments(
      [
        {
          apiVersion: 'projectcalico.org/v3',
          kind: 'NetworkPolicy',
          metadata: { name: 'allow-dns', namespace: 'shop' },
          spec: { selector: 'all()' },
        },
      ],
      'calico.yaml',
    );
    expect(result.objects).toEqual([]);
    expect(result.ignoredKinds).toEqual({
      'NetworkPolicy (projectcalico.org/v3)': 1,
    });
  });
});

describe('typed fields (kubernetes-shape.ts)', () => {
  it.each([
    [
      deploymentDoc('apps/v1', { containers: 'web' }),
      'spec.template.spec.containers',
      'expected a list, found a string ("web")',
    ],
    [
      {
        ...deploymentDoc('apps/v1'),
        spec: { ...deploymentDoc('apps/v1').spec, replicas: 'two' },
      },
      'spec.replicas',
      'expected an integer ≥ 0, found a string ("two")',
    ],
    [
      deploymentDoc('apps/v1', { securityContext: 'x' }),
      'spec.template.spec.securityContext',
      'expected an object, found a string ("x")',
    ],
    [
      deploymentDoc('apps/v1', {
        containers: [
          { name: 'web', image: 'w', securityContext: { privileged: 'true' } },
        ],
      }),
      'spec.template.spec.containers[0].securityContext.privileged',
      'expected true or false, found a string ("true")',
    ],
    [
      deploymentDoc('apps/v1', {
        containers: [
          { name: 'web', image: 'w', ports: [{ containerPort: '8080' }] },
        ],
      }),
      'spec.template.spec.containers[0].ports[0].containerPort',
      'expected an integer, found a string ("8080")',
    ],
    [
      deploymentDoc('apps/v1', { hostNetwork: 'yes' }),
      'spec.template.spec.hostNetwork',
      'expected true or false, found a string ("yes")',
    ],
    [
      deploymentDoc('apps/v1', {
        containers: [
          {
            name: 'web',
            image: 'w',
            securityContext: { capabilities: { drop: 'ALL' } },
          },
        ],
      }),
      'spec.template.spec.containers[0].securityContext.capabilities.drop',
      'expected a list, found a string ("ALL")',
    ],
    [
      deploymentDoc('apps/v1', { securityContext: { runAsUser: '1000' } }),
      'spec.template.spec.securityContext.runAsUser',
      'expected an integer, found a string ("1000")',
    ],
  ])('rejects a wrong type, naming the path (%#)', (doc, path, message) => {
    const error = errorOf(() => readKubernetesDocuments([doc], 'app.yaml'));
    expect(error.file).toBe('app.yaml');
    expect(error.path).toBe(path);
    expect(error.message).toBe(`app.yaml: ${path}: ${message}`);
  });

  it('never prints an env value in an error', () => {
    const error = errorOf(() =>
      readKubernetesDocuments(
        [
          deploymentDoc('apps/v1', {
            containers: [
              { name: 'web', env: [{ name: 'PIN', value: 987654321 }] },
            ],
          }),
        ],
        'app.yaml',
      ),
    );
    expect(error.path).toBe('spec.template.spec.containers[0].env[0].value');
    expect(error.message).not.toContain('987654321');
    expect(error.message).toContain('expected a string, found a number');
  });

  it('skips, with the reason, an object without what the engine walks (a kustomize patch)', () => {
    const patch = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 3 },
    };
    const noContainers = deploymentDoc('apps/v1', { containers: [] });
    const result = readKubernetesDocuments([[patch, noContainers]], 'k.yaml');
    expect(result.objects).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        path: '[0]',
        name: 'web',
        reason:
          'incomplete Deployment: spec.template is required but missing (a patch or a fragment? scan the rendered objects)',
      }),
      expect.objectContaining({
        path: '[1]',
        reason: expect.stringContaining(
          'spec.template.spec.containers[0] is required but missing',
        ),
      }),
    ]);
  });

  it('reads null as unset, as the API does', () => {
    const doc = deploymentDoc('apps/v1', {
      securityContext: null,
      containers: [{ name: 'web', image: 'w', env: null, resources: {} }],
    });
    expect(readKubernetesDocuments([doc], 'a.yaml').objects).toHaveLength(1);
  });
});
