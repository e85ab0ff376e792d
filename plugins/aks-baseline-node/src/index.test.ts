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
    ]) {
      expect(api).toHaveProperty(name);
    }
    expect(api.KNOWN_KINDS.map(k => k.kind)).not.toContain('Secret');
  });
});
