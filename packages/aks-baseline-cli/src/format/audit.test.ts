/*
 * --format csv and --format html: every check of the scan, passed ones
 * too, the CSV read back with a strict RFC 4180 parser and compared with
 * the JSON report of the same scan.
 */
import * as path from 'path';
import { AUDIT_CSV_COLUMNS } from '@aks-baseline/plugin-aks-baseline-node';
import { parseCsv } from '@aks-baseline/plugin-aks-baseline-node/testUtils';
import { FIXTURES, NOW, runCli } from '../testing';

const ROOT = path.resolve(__dirname, '../../../..');
const DEV = path.join(ROOT, 'examples/clusters/aks-dev-koreacentral');

const NONCOMPLIANT = path.join(FIXTURES, 'noncompliant.yaml');

async function scan(format: string, input = DEV) {
  return runCli(['scan', input, '--now', NOW, '--format', format]);
}

describe('scan --format csv', () => {
  it.each([
    ['a cluster snapshot', DEV],
    ['manifests with a waiver', NONCOMPLIANT],
  ])(
    'lists every check of %s with its evidence, waiver and evaluation time, as the JSON report has them',
    async (_, input) => {
      const [csv, json] = await Promise.all([
        scan('csv', input),
        scan('json', input),
      ]);
      expect(csv.code).toBe(json.code);
      const report = JSON.parse(json.stdout);
      const [header, ...records] = parseCsv(csv.stdout);
      expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
      const rows = records.map(r => {
        expect(r).toHaveLength(header.length);
        return Object.fromEntries(header.map((h, i) => [h, r[i]]));
      });
      const findings = rows.filter(r => r.status !== 'pass');
      expect(findings).toHaveLength(report.findings.length);
      report.findings.forEach((f: any, i: number) => {
        expect(findings[i]).toMatchObject({
          evaluated_at: report.evaluatedAt,
          status: f.status,
          rule_id: f.ruleId,
          kind: f.resource.kind,
          name: f.resource.name,
          namespace: f.resource.namespace ?? '',
          message: f.message,
          waiver_owner: f.waiver?.owner ?? '',
          waiver_reason: f.waiver?.reason ?? '',
          waiver_expires: f.waiver?.expires ?? '',
        });
      });
      // Each finding's evidence, path first.
      expect(
        report.findings.map((f: any, i: number) =>
          findings[i].evidence.startsWith(f.evidence?.[0]?.path ?? ''),
        ),
      ).not.toContain(false);
      expect(findings.some(r => r.evidence)).toBe(true);
      // The passed checks, counted per subject, add up to the summary's.
      const passed = rows
        .filter(r => r.status === 'pass')
        .reduce((n, r) => n + Number(r.checks), 0);
      expect(passed).toBeGreaterThan(0);
      expect(passed).toBe(report.score.totals.passed);
      // Frameworks come with the rule.
      expect(
        rows
          .filter(r => r.rule_id === 'container-not-privileged')
          .map(r => r.cis_aks),
      ).not.toContain('');
      expect(rows.some(r => r.cis_aks || r.azure_policy)).toBe(true);
    },
  );

  it('gives a waived finding its owner, reason, expiry and place', async () => {
    const [header, ...records] = parseCsv(
      (await scan('csv', NONCOMPLIANT)).stdout,
    );
    const rows = records.map(r =>
      Object.fromEntries(header.map((h, i) => [h, r[i]])),
    );
    expect(rows.filter(r => r.status === 'waived')).toEqual([
      expect.objectContaining({
        rule_id: 'pod-no-host-namespaces-or-paths',
        waiver_owner: 'group:default/platform',
        waiver_reason: 'reads /var/log on every node',
        waiver_expires: '2099-12-31',
        waiver_source: 'annotation',
        waiver_expired: 'false',
        file: expect.stringContaining('noncompliant.yaml'),
        line: expect.stringMatching(/^\d+$/),
      }),
    ]);
  });
});

describe('scan --format html', () => {
  it('writes one printable, self-contained document with every finding', async () => {
    const [html, json] = await Promise.all([scan('html'), scan('json')]);
    const report = JSON.parse(json.stdout);
    const page = html.stdout;
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).not.toMatch(/<script|<link|<img|\b(?:src|href)=|url\(/i);
    expect(page).toContain('@media print');
    expect(page).toContain(`<dd>${report.evaluatedAt}</dd>`);
    const rows = page.match(/<tr class="status-(?!pass)[a-z-]+">/g) ?? [];
    expect(rows).toHaveLength(report.findings.length);
    expect(page).toContain(`<h2>Passed: ${report.score.totals.passed}</h2>`);
  });
});
