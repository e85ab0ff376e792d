/*
 * The readable report: findings grouped by file and object, each with its
 * severity, baseline key, rule id, message and the one-line fix, then the
 * score, the counts and the gate.
 */
import { Severity } from '@aks-baseline/plugin-aks-baseline-common';
import {
  describeResource,
  listedFindings,
  oneLineFix,
  ReportFinding,
} from '../report';
import {
  categoryTitle,
  countFindings,
  describeFailures,
  FormatContext,
  gateText,
  scoreText,
} from './common';

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  magenta: '\u001b[35m',
  green: '\u001b[32m',
};

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: ANSI.magenta,
  high: ANSI.red,
  medium: ANSI.yellow,
  low: ANSI.blue,
};

function label(f: ReportFinding): string {
  if (f.status === 'waived') return 'WAIVED';
  if (f.status === 'unknown') return 'UNKNOWN';
  return f.severity.toUpperCase();
}

export function* formatTable(ctx: FormatContext): Generator<string> {
  const { report, gate } = ctx;
  const paint = (code: string, text: string) =>
    ctx.color ? `${code}${text}${ANSI.reset}` : text;
  const listed = listedFindings(report);

  // Group: file → object → findings, in the report's (file, line) order.
  let file: string | undefined | null = null;
  let object: string | null = null;
  for (const f of listed) {
    const fileName = f.location?.file;
    if (fileName !== file) {
      if (file !== null) yield '\n';
      yield `${paint(ANSI.bold, fileName ?? '(not in the inputs)')}\n`;
      file = fileName;
      object = null;
    }
    const objectKey = `${f.location?.line ?? ''} ${describeResource(
      f.resource,
    )}`;
    if (objectKey !== object) {
      const where = f.location ? `line ${f.location.line}  ` : '';
      yield `  ${paint(ANSI.dim, where)}${describeResource(f.resource)}\n`;
      object = objectKey;
    }
    const tag =
      f.status === 'fail'
        ? paint(SEVERITY_COLOR[f.severity], label(f).padEnd(8))
        : paint(ANSI.dim, label(f).padEnd(8));
    yield `    ${tag} ${f.baselineRef.padEnd(6)} ${f.ruleId}\n`;
    yield `             ${f.message}\n`;
    if (f.status === 'waived' && f.waiver) {
      const until = f.waiver.expires ? ` until ${f.waiver.expires}` : '';
      const owner = f.waiver.owner ? ` by ${f.waiver.owner}` : '';
      yield `             waived${owner}${until}: ${f.waiver.reason}\n`;
    } else if (f.status === 'fail') {
      yield `             ${paint(ANSI.green, 'fix:')} ${oneLineFix(
        f.remediation,
      )}\n`;
    }
  }
  if (listed.length === 0) yield `${paint(ANSI.green, 'No findings.')}\n`;

  const out: string[] = [];
  const counts = countFindings(report.findings);
  const { inputs } = report;
  out.push('');
  out.push(
    `${paint(ANSI.bold, `Score ${scoreText(report)}`)}${
      report.cluster ? ` · profile ${report.profile}` : ''
    } · ${inputs.objects} object${inputs.objects === 1 ? '' : 's'} in ${
      inputs.files.length
    } file${inputs.files.length === 1 ? '' : 's'}${
      report.cluster ? ` · cluster ${report.cluster}` : ''
    }`,
  );
  out.push(
    `  ${describeFailures(counts)} · ${counts.waived} waived · ${
      counts.unknown
    } unknown · ${counts.notApplicable} not applicable`,
  );
  const categories = report.summary.categories
    .filter(c => c.score !== null)
    .map(c => `${categoryTitle(c.category)} ${c.score}`);
  if (categories.length) out.push(`  ${categories.join(' · ')}`);
  if (inputs.skipped.length) {
    out.push(
      `  ${inputs.skipped.length} document(s) skipped (not Kubernetes objects or unrendered templates)`,
    );
  }
  out.push(
    `Gate: ${
      gate.passed
        ? paint(ANSI.green, gateText(gate))
        : paint(ANSI.red, gateText(gate))
    }`,
  );
  yield `${out.join('\n')}\n`;
}
