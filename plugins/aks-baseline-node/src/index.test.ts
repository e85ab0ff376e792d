import * as testUtils from '@aks-baseline/plugin-aks-baseline-node/testUtils';
import * as api from '.';

describe('public API', () => {
  it('exports what the backend, the CLI and the scaffolder call', () => {
    for (const name of [
      'evaluate',
      'scoreSubjects',
      'explainResult',
      'resolveConfig',
      'validateConfig',
      'BaselineConfigError',
      'readSnapshot',
      'readSnapshotDirectory',
      'readKubernetesDocuments',
      'readKubernetesText',
      'normalizeManagedCluster',
      'SnapshotReadError',
      'RULE_CATALOG',
      'DEFAULT_PARAMETERS',
      'KNOWN_KINDS',
      'FORBIDDEN_KINDS',
      'generateRulesDoc',
      'SUBJECT_KINDS',
      'isSubjectKind',
      'subjectKindsOf',
      'WORKLOAD_KINDS',
    ]) {
      expect(api).toHaveProperty(name);
    }
    expect(api.KNOWN_KINDS.map(k => k.kind)).not.toContain('Secret');
  });

  it('says which kinds produce subjects (for callers that must list them)', () => {
    expect([...api.SUBJECT_KINDS].sort()).toEqual(
      expect.arrayContaining([
        'Namespace',
        ...api.WORKLOAD_KINDS,
        'ClusterRoleBinding',
        'RoleBinding',
        'Ingress',
        'Service',
      ]),
    );
    expect(api.isSubjectKind('Deployment')).toBe(true);
    expect(api.isSubjectKind('ReplicationController')).toBe(true);
    // Read by rules, but never judged one by one.
    expect(api.isSubjectKind('Node')).toBe(false);
    expect(api.isSubjectKind('VerticalPodAutoscaler')).toBe(false);
    expect(api.isSubjectKind('ConfigMap')).toBe(false);
  });
});

describe('@aks-baseline/plugin-aks-baseline-node/testUtils', () => {
  it('gives a rule author what testing a rule takes, by its public name', () => {
    for (const name of [
      'makeSnapshot',
      'kubeObject',
      'deployment',
      'namespaceObject',
      'evaluateRule',
      'evaluateRuleDetailed',
      'outcomeFor',
      'DEFAULT_TEST_NOW',
    ]) {
      expect(testUtils).toHaveProperty(name);
    }
    // The same engine as the main entry (a rule's outcome through both agrees).
    const [outcome] = testUtils.evaluateRule(
      api.RULE_CATALOG.find(r => r.id === 'container-image-pinned')!,
      testUtils.makeSnapshot({
        objects: [
          testUtils.deployment('web', 'shop', {
            containers: [{ name: 'web', image: 'nginx:latest' }],
          }),
        ],
      }),
    );
    expect(outcome.status).toBe('fail');
  });
});
