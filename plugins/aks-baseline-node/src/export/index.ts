export * from './audit';
export { auditCsv, AUDIT_CSV_COLUMNS, csvField } from './csv';
export { auditHtml, escapeHtml } from './html';
