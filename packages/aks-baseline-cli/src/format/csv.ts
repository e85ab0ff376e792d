import { auditCsv } from '@aks-baseline/plugin-aks-baseline-node';
import { auditOfReport } from './audit';
import { Formatter } from './common';

/** Every check as CSV (RFC 4180), for auditors' spreadsheets. */
export const formatCsv: Formatter = ctx => auditCsv(auditOfReport(ctx.report));
