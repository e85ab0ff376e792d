/*
 * The audit export as one printable HTML file: no script, no external
 * asset (styles inline, print rules for paper), every text escaped. The
 * findings come first by status, then the passed checks.
 */
import { AuditCheck, AuditExport, evidenceText, frameworkTexts } from './audit';

/**
 * Text safe inside HTML elements and quoted attributes.
 *
 * @public
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body { font: 11pt/1.4 system-ui, sans-serif; color: #111; margin: 2rem; }
h1 { font-size: 18pt; margin: 0 0 .25rem; }
h2 { font-size: 13pt; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #999; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.meta dt { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #bbb; padding: .2rem .35rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.evidence { font-family: ui-monospace, monospace; word-break: break-word; }
.status-fail { color: #a00; font-weight: 600; }
.status-unknown { color: #8a5a00; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; }
  thead { display: table-header-group; }
  tr, td, th { page-break-inside: avoid; break-inside: avoid; }
  h2 { break-after: avoid; }
}
`;

/** Sections in order: what needs attention first. */
const SECTIONS: ReadonlyArray<[AuditCheck['status'], string]> = [
  ['fail', 'Failed'],
  ['unknown', 'Unknown (not read or not permitted: not counted as compliant)'],
  ['waived', 'Waived'],
  ['manual', 'Manual (to confirm by hand)'],
  ['not-applicable', 'Not applicable'],
  ['pass', 'Passed'],
];

function cell(text: string | number | undefined, cls?: string): string {
  return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(
    text === undefined ? '' : String(text),
  )}</td>`;
}

function resourceText(c: AuditCheck): string {
  const r = c.resource;
  const where = c.file ? ` (${c.file}${c.line ? `:${c.line}` : ''})` : '';
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${where}`;
}

function waiverText(c: AuditCheck): string {
  const w = c.waiver;
  if (!w) return '';
  return [
    w.reason,
    w.owner ? `owner ${w.owner}` : undefined,
    w.expires
      ? `expires ${w.expires}${w.expired ? ' (expired)' : ''}`
      : undefined,
    `from ${w.source}`,
  ]
    .filter(Boolean)
    .join('; ');
}

function findingRow(c: AuditCheck): string {
  const f = frameworkTexts(c.frameworks);
  const frameworks = [
    f.cis && `CIS ${f.cis}`,
    f.pss && `PSS ${f.pss}`,
    f.policy && `Azure Policy: ${f.policy}`,
  ]
    .filter(Boolean)
    .join('; ');
  // What Safeguards do with the object at admission, after the message.
  const message = c.admission
    ? `${c.message} (${c.admission.note})`
    : c.message;
  return `<tr class="status-${escapeHtml(c.status)}">${cell(c.ruleId)}${cell(
    c.severity,
  )}${cell(resourceText(c))}${cell(message)}${cell(
    evidenceText(c.evidence),
    'evidence',
  )}${cell(waiverText(c))}${cell(frameworks)}</tr>`;
}

function passRow(c: AuditCheck): string {
  return `<tr class="status-pass">${cell(resourceText(c))}${cell(
    c.checks,
  )}</tr>`;
}

/**
 * The report, one self-contained HTML document.
 *
 * @public
 */
export function auditHtml(audit: AuditExport): string {
  const out: string[] = [];
  const title = `AKS Baseline audit report — ${audit.subject}`;
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en">');
  out.push('<head>');
  out.push('<meta charset="utf-8">');
  out.push(`<title>${escapeHtml(title)}</title>`);
  out.push(`<style>${STYLE}</style>`);
  out.push('</head>');
  out.push('<body>');
  out.push(`<h1>${escapeHtml(title)}</h1>`);
  const counted = (status: AuditCheck['status']) =>
    audit.checks
      .filter(c => c.status === status)
      .reduce((n, c) => n + c.checks, 0);
  const meta: Array<[string, string | undefined]> = [
    ['Cluster', audit.cluster],
    ['Evaluated at', audit.evaluatedAt],
    ['Profile', audit.profile],
    [
      'Score',
      audit.score === null
        ? 'no score (nothing scorable was evaluated)'
        : `${audit.score}/100${audit.grade ? ` (${audit.grade})` : ''}`,
    ],
    [
      'Checks',
      SECTIONS.map(
        ([s, name]) => `${counted(s)} ${name.split(' (')[0].toLowerCase()}`,
      ).join(', '),
    ],
  ];
  out.push('<dl class="meta">');
  for (const [k, v] of meta) {
    if (v !== undefined) {
      out.push(`<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`);
    }
  }
  out.push('</dl>');
  for (const [status, heading] of SECTIONS) {
    const rows = audit.checks.filter(c => c.status === status);
    if (rows.length === 0) continue;
    out.push(`<section id="${status}">`);
    out.push(`<h2>${escapeHtml(heading)}: ${counted(status)}</h2>`);
    out.push('<table>');
    if (status === 'pass') {
      out.push(
        '<thead><tr><th>Subject</th><th>Checks passed</th></tr></thead>',
      );
      out.push(`<tbody>${rows.map(passRow).join('\n')}</tbody>`);
    } else {
      out.push(
        '<thead><tr><th>Rule</th><th>Severity</th><th>Subject</th><th>Message</th><th>Evidence</th><th>Waiver</th><th>Frameworks</th></tr></thead>',
      );
      out.push(`<tbody>${rows.map(findingRow).join('\n')}</tbody>`);
    }
    out.push('</table>');
    out.push('</section>');
  }
  out.push('</body>');
  out.push('</html>');
  return `${out.join('\n')}\n`;
}
