/*
 * The audit export as CSV (RFC 4180: CRLF line ends, fields quoted when
 * they hold a comma, a quote or a line break, quotes doubled), one row per
 * check. A cell a spreadsheet would run as a formula gets a leading quote.
 */
import { AuditCheck, AuditExport, evidenceText, frameworkTexts } from './audit';

/**
 * The header row's column names, in order.
 *
 * @public
 */
export const AUDIT_CSV_COLUMNS = [
  'evaluated_at',
  'cluster',
  'status',
  'checks',
  'rule_id',
  'baseline_ref',
  'category',
  'severity',
  'title',
  'kind',
  'namespace',
  'name',
  'file',
  'line',
  'message',
  'evidence',
  'waiver_owner',
  'waiver_reason',
  'waiver_expires',
  'waiver_source',
  'waiver_expired',
  'admission',
  'cis_aks',
  'pod_security_standards',
  'azure_policy',
] as const;

/** Formula injection: `=`, `+`, `@`, tab, CR, or `-` not starting a number. */
const FORMULA = /^(?:[=+@\t\r]|-(?![\d.]))/;

/**
 * One field as RFC 4180 writes it.
 *
 * @public
 */
export function csvField(value: string | number | boolean | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(fields: Array<string | number | boolean | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function checkRow(audit: AuditExport, c: AuditCheck): string {
  const f = frameworkTexts(c.frameworks);
  return row([
    audit.evaluatedAt,
    audit.cluster,
    c.status,
    c.checks,
    c.ruleId,
    c.baselineRef,
    c.category,
    c.severity,
    c.title,
    c.resource.kind,
    c.resource.namespace,
    c.resource.name,
    c.file,
    c.line,
    c.message,
    evidenceText(c.evidence),
    c.waiver?.owner,
    c.waiver?.reason,
    c.waiver?.expires,
    c.waiver?.source,
    c.waiver ? !!c.waiver.expired : undefined,
    c.admission?.note,
    f.cis,
    f.pss,
    f.policy,
  ]);
}

/**
 * The CSV, a header row then one row per check, written as it goes.
 *
 * @public
 */
export function* auditCsv(audit: AuditExport): Iterable<string> {
  yield row([...AUDIT_CSV_COLUMNS]);
  for (const c of audit.checks) yield checkRow(audit, c);
}
