import { auditHtml } from './html';
import { AUDIT } from './testAudit';

describe('auditHtml', () => {
  const html = auditHtml(AUDIT);

  it('is one self-contained document: no script, no external asset', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\b(?:src|href)=/i);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('prints well: print rules, repeated table headers, rows kept whole', () => {
    expect(html).toMatch(
      /@media print \{[^]*thead \{ display: table-header-group; \}/,
    );
    expect(html).toMatch(/@page \{ size: A4 landscape/);
    expect(html).toMatch(/break-inside: avoid/);
  });

  it('escapes what the objects say', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('has a section per status, findings first, with evidence, waiver and frameworks', () => {
    const sections = [...html.matchAll(/<section id="([a-z-]+)">/g)].map(
      m => m[1],
    );
    expect(sections).toEqual(['fail', 'unknown', 'waived', 'pass']);
    const section = (id: string) =>
      html.slice(
        html.indexOf(`<section id="${id}">`),
        html.indexOf('</section>', html.indexOf(`<section id="${id}">`)),
      );
    expect(section('fail')).toContain('<h2>Failed: 1</h2>');
    expect(section('fail')).toContain(
      'spec.template.spec.containers[0].securityContext.privileged = true (expected: false or absent)',
    );
    expect(section('fail')).toContain('CIS 4.2.1; PSS baseline; Azure Policy:');
    expect(section('fail')).toContain(
      '(enforced at admission by Safeguards (Pod Security Standards Baseline))',
    );
    expect(section('waived')).toContain(
      'Vendor image, pinned by &quot;digest&quot; next sprint; owner group:default/team-shop; expires 2027-01-31; from annotation',
    );
    expect(section('pass')).toContain('<h2>Passed: 12</h2>');
    expect(section('pass')).toContain(
      '<td>Deployment shop/api</td><td>12</td>',
    );
    // Every row has as many cells as its table's header.
    for (const id of sections) {
      const s = section(id);
      const headers = (s.match(/<th>/g) ?? []).length;
      for (const tr of s.match(/<tr class[^]*?<\/tr>/g) ?? []) {
        expect((tr.match(/<td/g) ?? []).length).toBe(headers);
      }
    }
  });

  it('states the evaluation: cluster, time, score and counts', () => {
    expect(html).toContain(
      '<dt>Evaluated at</dt><dd>2026-12-02T08:00:00.000Z</dd>',
    );
    expect(html).toContain('<dt>Score</dt><dd>71/100 (C)</dd>');
    expect(html).toContain(
      '<dt>Checks</dt><dd>1 failed, 1 unknown, 1 waived, 0 manual, 0 not applicable, 12 passed</dd>',
    );
  });
});
