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
          items: [{ metadata: { name: 'a', namespace: 'n' }, spec: {} }],
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
  });

  it('fills a missing apiVersion of a known kind', () => {
    const result = readKubernetesDocuments(
      [{ kind: 'NetworkPolicy', metadata: { name: 'deny' } }],
      'f.yaml',
    );
    expect(result.objects[0].apiVersion).toBe('networking.k8s.io/v1');
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
    ).toMatch(/^a\.json: not valid JSON \(/);
    expect(
      errorOf(() =>
        readKubernetesText('kind: Pod\nmetadata:\n  name: [a\n', 'b.yaml'),
      ).message,
    ).toMatch(/^b\.yaml: not valid YAML at line \d+/);
  });
});
