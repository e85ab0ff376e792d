import { AUDIT_CSV_COLUMNS, auditCsv, csvField } from './csv';
import { AUDIT } from './testAudit';
import { parseCsv } from '../testUtils/csv';

function rowsOf(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
  for (const r of rows) expect(r).toHaveLength(header.length);
  return rows.map(r => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('auditCsv', () => {
  it('writes every check, passed too, that an RFC 4180 parser reads back field for field', () => {
    const rows = rowsOf([...auditCsv(AUDIT)].join(''));
    expect(rows.map(r => r.status)).toEqual([
      'fail',
      'waived',
      'unknown',
      'pass',
    ]);
    const [fail, waived, unknown, pass] = rows;
    expect(fail).toMatchObject({
      evaluated_at: '2026-12-02T08:00:00.000Z',
      cluster: 'aks-prod',
      checks: '1',
      rule_id: 'container-not-privileged',
      baseline_ref: 'PS-07',
      severity: 'critical',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      file: 'k8s/web.yaml',
      line: '3',
      message: 'Container "app", "side,car" run privileged\nsecond line',
      evidence:
        'spec.template.spec.containers[0].securityContext.privileged = true (expected: false or absent)',
      cis_aks: '4.2.1',
      pod_security_standards: 'baseline',
      azure_policy:
        'Kubernetes cluster should not allow privileged containers (Safeguards)',
      waiver_owner: '',
      admission:
        'enforced at admission by Safeguards (Pod Security Standards Baseline)',
    });
    expect(waived).toMatchObject({
      waiver_owner: 'group:default/team-shop',
      waiver_reason: 'Vendor image, pinned by "digest" next sprint',
      waiver_expires: '2027-01-31',
      waiver_source: 'annotation',
      waiver_expired: 'false',
      // A spreadsheet would run it as a formula.
      name: "'=cmd|calc",
    });
    expect(unknown.message).toBe('ClusterRoleBindings could not be read (403)');
    expect(pass).toMatchObject({ checks: '12', rule_id: '', name: 'api' });
  });

  it('quotes only what needs it and leaves numbers alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(-1)).toBe('-1');
    expect(csvField('-x')).toBe("'-x");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(undefined)).toBe('');
  });
});
