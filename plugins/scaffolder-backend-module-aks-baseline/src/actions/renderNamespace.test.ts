import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CLIENT_ID, GROUP_ID, testSettings } from '../__testUtils__/settings';
import { createNamespaceRenderAction } from './renderNamespace';

const input = {
  cluster: 'aks-gitops-only',
  namespace: 'payments',
  owner: 'group:default/team-payments',
  environment: 'production',
  quota: 'medium',
  workloadIdentity: { clientId: CLIENT_ID },
  teamGroup: GROUP_ID,
};

describe('aks-baseline:namespace:render', () => {
  const dir = createMockDirectory();
  const action = createNamespaceRenderAction({ settings: testSettings() });
  const fetchSpy = jest.spyOn(globalThis, 'fetch');

  beforeEach(() => dir.clear());
  afterAll(() => fetchSpy.mockRestore());

  it('writes one file per object and a kustomization, without cluster access', async () => {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: dir.path,
    });
    await action.handler(ctx);

    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    const base = 'clusters/aks-gitops-only/namespaces/payments';
    expect(outputs.path).toBe(base);
    expect(outputs.files).toEqual([
      `${base}/00-namespace-payments.yaml`,
      `${base}/01-resourcequota-baseline-quota.yaml`,
      `${base}/02-limitrange-baseline-limits.yaml`,
      `${base}/03-networkpolicy-default-deny-ingress.yaml`,
      `${base}/04-serviceaccount-workload.yaml`,
      `${base}/05-rolebinding-team-access.yaml`,
      `${base}/kustomization.yaml`,
    ]);
    expect(outputs.score).toBe(100);
    const fromFiles = outputs.files
      .slice(0, 6)
      .map((f: string) => parse(readFileSync(join(dir.path, f), 'utf8')));
    const fromOutput = parseAllDocuments(outputs.manifests).map(d =>
      d.toJSON(),
    );
    expect(fromFiles).toEqual(fromOutput);
    expect(
      fromFiles[0].metadata.labels['pod-security.kubernetes.io/enforce'],
    ).toBe('restricted');
    expect(fromFiles[1].spec.hard['requests.cpu']).toBe('8');
    expect(
      parse(readFileSync(join(dir.path, outputs.files[6]), 'utf8')).resources,
    ).toHaveLength(6);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('writes a single multi-document file to a given path', async () => {
    const ctx = createMockActionContext({
      input: { ...input, path: 'namespaces/payments', layout: 'single' } as any,
      workspacePath: dir.path,
    });
    await action.handler(ctx);
    const text = readFileSync(
      join(dir.path, 'namespaces/payments/namespace.yaml'),
      'utf8',
    );
    expect(parseAllDocuments(text)).toHaveLength(6);
  });

  it('refuses a path outside the workspace', async () => {
    const ctx = createMockActionContext({
      input: { ...input, path: '../../etc' } as any,
      workspacePath: dir.path,
    });
    await expect(action.handler(ctx)).rejects.toThrow(/outside/i);
  });

  it('validates the request like the create action', async () => {
    const ctx = createMockActionContext({
      input: { ...input, podSecurity: 'baseline' } as any,
      workspacePath: dir.path,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'production namespaces enforce the restricted Pod Security Standard',
    );
  });
});
