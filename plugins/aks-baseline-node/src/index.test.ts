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
