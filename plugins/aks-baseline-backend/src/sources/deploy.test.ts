/*
 * The shipped read-only RBAC (deploy/kubernetes) must cover exactly what the
 * Kubernetes source lists, with get/list only and never Secrets.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  FORBIDDEN_KINDS,
  KNOWN_KINDS,
  type ObjectRule,
} from '@aks-baseline/plugin-aks-baseline-node';
import { kindsToList, listPath } from './kubernetes/readKubernetes';
import { withPolicyReportKinds } from './policyReports';

/** What the source may list: the rules' kinds, and the Policy Reports when enabled. */
const readable = () => withPolicyReportKinds(kindsToList());

const DEPLOY = path.resolve(__dirname, '../../../../deploy/kubernetes');

async function documents(file: string): Promise<any[]> {
  const text = await fs.readFile(path.join(DEPLOY, file), 'utf8');
  return parseAllDocuments(text).map(d => {
    if (d.errors.length) {
      throw new Error(`${file}: ${d.errors.map(e => e.message).join('; ')}`);
    }
    return d.toJSON();
  });
}

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

describe('deploy/kubernetes', () => {
  let role: any;
  let rules: Rule[];
  beforeAll(async () => {
    const docs = await documents('clusterrole.yaml');
    role = docs.length === 1 ? docs[0] : { docs };
    rules = role.rules ?? [];
  });

  it('is a ClusterRole named aks-baseline-reader', () => {
    expect(role.docs).toBeUndefined();
    expect(role.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(role.kind).toBe('ClusterRole');
    expect(role.metadata.name).toBe('aks-baseline-reader');
  });

  it('grants only get and list, on named resources, without wildcards', () => {
    for (const rule of rules) {
      expect([...rule.verbs].sort()).toEqual(['get', 'list']);
      expect(rule.apiGroups).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      expect(rule.nonResourceURLs).toBeUndefined();
      expect(rule.resourceNames).toBeUndefined();
      for (const resource of rule.resources) {
        // No subresources (pods/exec, pods/log, */status ...).
        expect(resource).not.toContain('/');
      }
    }
  });

  it('never grants Secrets, ConfigMaps or anything the engine does not read', () => {
    const granted = rules.flatMap(r =>
      r.apiGroups.flatMap(g => r.resources.map(res => `${g}/${res}`)),
    );
    expect(granted).not.toContain('/secrets');
    expect(granted).not.toContain('/configmaps');
    expect(granted.some(g => g.endsWith('/secrets'))).toBe(false);
    const needed = new Set(readable().map(k => `${k.group}/${k.plural}`));
    expect(granted.filter(g => !needed.has(g))).toEqual([]);
    // Each (group, resource) once.
    expect(new Set(granted).size).toBe(granted.length);
  });

  it('covers every kind the engine reads', () => {
    const covered = (group: string, plural: string) =>
      rules.some(
        r => r.apiGroups.includes(group) && r.resources.includes(plural),
      );
    const missing = readable()
      .filter(k => !covered(k.group, k.plural))
      .map(k => k.kind);
    expect(missing).toEqual([]);
  });

  it('lists nothing forbidden and matches the engine list', () => {
    expect(kindsToList().map(k => k.kind)).toEqual(
      KNOWN_KINDS.filter(k => !FORBIDDEN_KINDS.includes(k.kind)).map(
        k => k.kind,
      ),
    );
    for (const kind of FORBIDDEN_KINDS) {
      expect(kindsToList().some(k => k.kind === kind)).toBe(false);
    }
    expect(kindsToList().map(listPath)).not.toContain('/api/v1/secrets');
  });

  it("lists what a rule set reads, a custom resource's at its own path", () => {
    const widgets: ObjectRule = {
      id: 'acme-widget-owned',
      baselineRef: 'OP-05',
      category: 'operations',
      severity: 'low',
      title: 'Widgets name their owner',
      rationale: 'r',
      remediation: { summary: 's' },
      scope: 'object',
      source: 'kubernetes',
      appliesTo: {
        kinds: [
          {
            kind: 'Widget',
            group: 'acme.example.com',
            version: 'v1',
            plural: 'widgets',
          },
        ],
      },
      check: () => ({ status: 'pass' }),
    };
    const kinds = kindsToList([widgets]);
    expect(kinds.map(k => k.kind)).toEqual([
      'Namespace',
      'CustomResourceDefinition',
      'Widget',
    ]);
    expect(kinds.map(listPath)).toContain('/apis/acme.example.com/v1/widgets');
  });

  it('documents an Azure RBAC data action for every built-in kind (docs/access.md)', async () => {
    const doc = await fs.readFile(
      path.resolve(DEPLOY, '../../docs/access.md'),
      'utf8',
    );
    const missing = kindsToList()
      .filter(k => !k.crd)
      .map(
        k =>
          `Microsoft.ContainerService/managedClusters/${
            k.group ? `${k.group}/` : ''
          }${k.plural}/read`,
      )
      .filter(action => !doc.includes(`"${action}"`));
    expect(missing).toEqual([]);
    expect(doc).not.toMatch(/managedClusters\/secrets\/read"/);
  });

  it('binds the ClusterRole to the reader ServiceAccount', async () => {
    const docs = await documents('serviceaccount.yaml');
    const sa = docs.find(d => d.kind === 'ServiceAccount');
    const binding = docs.find(d => d.kind === 'ClusterRoleBinding');
    expect(sa.metadata.name).toBe('aks-baseline-reader');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: sa.metadata.name,
        namespace: sa.metadata.namespace,
      },
    ]);
  });
});
