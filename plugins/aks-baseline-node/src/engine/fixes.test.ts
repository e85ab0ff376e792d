import { JsonPatchOperation } from '@aks-baseline/plugin-aks-baseline-common';
import { localAccountsDisabled } from '../rules/cluster/access';
import { containerNoPrivilegeEscalation } from '../rules/pod-security/security-context';
import { deployment, evaluateRule, makeSnapshot } from '../testUtils';
import {
  azClusterArguments,
  pathSegments,
  setAtPathPatch,
  toJsonPointer,
} from './fixes';
import { ManagedClusterModel } from './types';

/** RFC 6902 `add`, as kubectl patch --type json applies it. */
function applyPatch<T>(object: T, operations: JsonPatchOperation[]): T {
  const out = structuredClone(object) as any;
  for (const op of operations) {
    if (op.op !== 'add') throw new Error(`unexpected ${op.op}`);
    const keys = op.path
      .split('/')
      .slice(1)
      .map(k => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent = out;
    for (const key of keys) {
      if (parent[key] === undefined) throw new Error(`no parent at ${key}`);
      parent = parent[key];
    }
    parent[last] = structuredClone(op.value);
  }
  return out;
}

describe('fix building blocks', () => {
  it('reads evidence paths as JSON Pointers', () => {
    expect(pathSegments('spec.template.spec.containers[1].image')).toEqual([
      'spec',
      'template',
      'spec',
      'containers',
      1,
      'image',
    ]);
    expect(toJsonPointer('metadata.annotations.a/b~c')).toBe(
      '/metadata/annotations/a~1b~0c',
    );
  });

  it('sets a value, creating the first missing object on the way', () => {
    const object = {
      spec: { containers: [{ name: 'a' }, { name: 'b', securityContext: {} }] },
    };
    expect(
      setAtPathPatch(object, 'spec.containers[0].securityContext.x', false),
    ).toEqual([
      {
        op: 'add',
        path: '/spec/containers/0/securityContext',
        value: { x: false },
      },
    ]);
    expect(
      setAtPathPatch(object, 'spec.containers[1].securityContext.x', false),
    ).toEqual([
      { op: 'add', path: '/spec/containers/1/securityContext/x', value: false },
    ]);
  });

  it('names a cluster for az from its ARM id, or not at all', () => {
    const id =
      '/subscriptions/0000/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod';
    expect(azClusterArguments({ name: 'aks-prod', id })).toBe(
      '--subscription 0000 --resource-group rg-prod --name aks-prod',
    );
    expect(
      azClusterArguments({
        name: 'x',
        id: id.replace('rg-prod', "rg o'brien"),
      }),
    ).toBe(
      `--subscription 0000 --resource-group 'rg o'\\''brien' --name aks-prod`,
    );
    expect(azClusterArguments({ name: 'aks-prod' })).toBeUndefined();
  });
});

describe('rules that say how to fix what they find', () => {
  it('container-no-privilege-escalation: a JSON Patch after which the rule passes', () => {
    const web = deployment('web', 'shop', {
      initContainers: [{ name: 'init', image: 'x:1' }],
      containers: [
        { name: 'app', image: 'x:1', securityContext: { runAsNonRoot: true } },
        {
          name: 'ok',
          image: 'x:1',
          securityContext: { allowPrivilegeEscalation: false },
        },
        { name: 'sidecar', image: 'x:1' },
      ],
    });
    const [outcome] = evaluateRule(
      containerNoPrivilegeEscalation,
      makeSnapshot({ objects: [web] }),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.fix).toMatchObject({
      kind: 'patch',
      target: { kind: 'Deployment', name: 'web', namespace: 'shop' },
      format: 'json-patch',
      operations: [
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
          value: false,
        },
        {
          op: 'add',
          path: '/spec/template/spec/containers/2/securityContext',
          value: { allowPrivilegeEscalation: false },
        },
        {
          op: 'add',
          path: '/spec/template/spec/initContainers/0/securityContext',
          value: { allowPrivilegeEscalation: false },
        },
      ],
      summary:
        'Set allowPrivilegeEscalation: false on each offending container',
    });
    const fixed = applyPatch(
      web,
      (outcome.fix as { operations: JsonPatchOperation[] }).operations,
    );
    const [after] = evaluateRule(
      containerNoPrivilegeEscalation,
      makeSnapshot({ objects: [fixed] }),
    );
    expect(after.status).toBe('pass');
  });

  const cluster = (
    over: Partial<ManagedClusterModel>,
  ): ManagedClusterModel => ({
    name: 'aks-prod',
    id: '/subscriptions/0000/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod',
    disableLocalAccounts: false,
    aadProfile: { managed: true },
    ...over,
  });

  it('local-accounts-disabled: the az command with the real names, or what to do first', () => {
    const fixOf = (mc: ManagedClusterModel) =>
      evaluateRule(
        localAccountsDisabled,
        makeSnapshot({ managedCluster: mc }),
      )[0].fix;
    expect(fixOf(cluster({}))).toEqual({
      kind: 'command',
      command:
        'az aks update --subscription 0000 --resource-group rg-prod --name aks-prod --disable-local-accounts',
      summary: 'Disable local accounts on aks-prod',
    });
    expect(fixOf(cluster({ aadProfile: undefined }))).toMatchObject({
      kind: 'manual',
      reason: expect.stringMatching(/Entra ID integration first/),
    });
    // Without the ARM id the names are unknown: the remediation says the rest.
    expect(fixOf(cluster({ id: undefined }))).toBeUndefined();
    // Nothing to fix on a compliant cluster.
    expect(fixOf(cluster({ disableLocalAccounts: true }))).toBeUndefined();
  });
});
