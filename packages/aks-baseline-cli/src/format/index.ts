import { Formatter } from './common';
import { formatCsv } from './csv';
import { formatHtml } from './html';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatMarkdown } from './markdown';
import { formatPolicyReport } from './policyreport';
import { formatSarif } from './sarif';
import { formatTable } from './table';

export const FORMATS = [
  'table',
  'json',
  'sarif',
  'junit',
  'markdown',
  'policyreport',
  'csv',
  'html',
] as const;
export type FormatName = (typeof FORMATS)[number];

export const FORMATTERS: Record<FormatName, Formatter> = {
  table: formatTable,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  markdown: formatMarkdown,
  policyreport: formatPolicyReport,
  csv: formatCsv,
  html: formatHtml,
};

export type { FormatContext, Formatter } from './common';
export { JSON_SCHEMA_VERSION } from './json';
