import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { testSettings } from '../__testUtils__/settings';
import { createEvaluateAction } from './evaluateManifests';
import { globToRegExp } from './files';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: nginx:latest
`;

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: b
`;

describe('aks-baseline:evaluate', () => {
  const dir = createMockDirectory();
  const action = createEvaluateAction({ settings: testSettings() });

  beforeEach(() => dir.clear());

  function run(input: Record<string, unknown>) {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: dir.path,
    });
    return {
      ctx,
      done: action.handler(ctx),
      outputs: () => Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  }

  it('fails below the threshold and lists the failing rules', async () => {
    dir.setContent({
      'k8s/deployment.yaml': DEPLOYMENT,
      'k8s/configmap.yaml': CONFIGMAP,
      'README.md': '# not a manifest',
    });
    const { done, outputs } = run({
      path: 'k8s',
      namespace: 'shop',
      threshold: 90,
    });
    const error = await done.then(
      () => undefined,
      e => e as Error,
    );
    expect(error?.message).toMatch(
      /^AKS baseline score \d+ is below the threshold 90\. Failing rules:\n- \[/,
    );
    expect(error?.message).toContain('[PS-02] container-run-as-non-root');
    expect(error?.message).toContain('on Deployment shop/api');
    const out = outputs();
    expect(out.passed).toBe(false);
    expect(out.files).toEqual(['k8s/configmap.yaml', 'k8s/deployment.yaml']);
    expect(out.score).toBeLessThan(90);
    const ids = out.failing.map((f: any) => f.ruleId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'container-run-as-non-root',
        'container-image-pinned',
      ]),
    );
    for (const f of out.failing) {
      expect(f).toEqual({
        ruleId: expect.any(String),
        baselineRef: expect.stringMatching(/^[A-Z]{2}-\d\d$/),
        severity: expect.any(String),
        status: 'fail',
        resource: 'Deployment shop/api',
        message: expect.any(String),
      });
    }
  });

  it('passes with a threshold of 0 and reports the score', async () => {
    dir.setContent({ 'deployment.yaml': DEPLOYMENT });
    const { done, outputs } = run({ threshold: 0 });
    await done;
    expect(outputs().passed).toBe(true);
    expect(outputs().score).toBeGreaterThanOrEqual(0);
  });

  it('fails when no file matches', async () => {
    dir.setContent({ 'README.md': '# nothing' });
    await expect(run({}).done).rejects.toThrow(
      'No manifest files in . match **/*.yaml, **/*.yml, **/*.json',
    );
  });

  it('fails when nothing can be scored', async () => {
    dir.setContent({ 'cm.yaml': CONFIGMAP });
    await expect(run({}).done).rejects.toThrow(
      'could be scored against the AKS baseline',
    );
  });

  it('reports a malformed manifest with its file', async () => {
    dir.setContent({
      'bad.yaml': 'apiVersion: v1\nkind: Service\nmetadata: [1]\n',
    });
    await expect(run({}).done).rejects.toThrow('bad.yaml');
  });

  it('rejects an out-of-range threshold', async () => {
    dir.setContent({ 'deployment.yaml': DEPLOYMENT });
    await expect(run({ threshold: 120 }).done).rejects.toThrow(
      'threshold: Number must be less than or equal to 100',
    );
  });
});

describe('globToRegExp', () => {
  it.each([
    ['**/*.yaml', 'a/b/c.yaml', true],
    ['**/*.yaml', 'c.yaml', true],
    ['*.yaml', 'a/c.yaml', false],
    ['k8s/*.{yaml,yml}', 'k8s/x.yml', true],
    ['k8s/?.yaml', 'k8s/ab.yaml', false],
  ])('%s vs %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});
