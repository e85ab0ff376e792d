import { auditHtml } from '@aks-baseline/plugin-aks-baseline-node';
import { auditOfReport } from './audit';
import { Formatter } from './common';

/** A printable report: one self-contained HTML file. */
export const formatHtml: Formatter = ctx => [
  auditHtml(auditOfReport(ctx.report)),
];
