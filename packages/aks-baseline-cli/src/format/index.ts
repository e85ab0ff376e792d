import { Formatter } from './common';
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
] as const;
export type FormatName = (typeof FORMATS)[number];

export const FORMATTERS: Record<FormatName, Formatter> = {
  table: formatTable,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  markdown: formatMarkdown,
  policyreport: formatPolicyReport,
};

export type { FormatContext, Formatter } from './common';
export { JSON_SCHEMA_VERSION } from './json';
