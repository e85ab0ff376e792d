/*
 * The readable report: findings grouped by file and object, each with its
 * severity, baseline key, rule id, message and its fix (the exact YAML or
 * command when the rule works one out, else the rule's one line), then the
 * score, the counts and the gate.
 */
import { Severity } from '@aks-baseline/plugin-aks-baseline-common';
import {
  describeResource,
  listedFindings,
  oneLineFix,
  ReportFinding,
  ScanReport,
} from '../report';
import {
  categoryScoreText,
  categoryTitle,
  checksText,
  FormatContext,
  gateText,
  judgedText,
  scoreText,
  skippedPlace,
} from './common';
import {
  groupNotProvided,
  notProvidedHint,
  notProvidedText,
} from './not-provided';
import { shownFix } from '../fix-report';
import {
  admissionCaveats,
  admissionHeadline,
  admissionLines,
} from '../admission';
import { upgradeHeadline, upgradeLines, upgradeReadinessOf } from '../upgrade';

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
  const notProvided = groupNotProvided(listed);

  // Group: file → object → findings, in the report's (file, line) order;
  // the checks not made for want of objects, one block per namespace.
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
    const group = notProvided.get(f);
    if (group) {
      // One block for the checks not made on this namespace.
      if (group.first !== f) continue;
      yield `    ${paint(
        ANSI.dim,
        'UNKNOWN '.padEnd(8),
      )} ${group.baselineRefs.join(', ')}\n`;
      yield `             ${notProvidedText(group)}\n`;
      yield `             ${paint(
        ANSI.green,
        'to judge them:',
      )} ${notProvidedHint(group)}\n`;
      continue;
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
      if (f.admission) yield `             ${f.admission.note}\n`;
      yield* fixLines(f, paint);
    }
  }
  if (listed.length === 0 && report.summary.score === null) {
    yield 'No findings, and nothing scorable was judged.\n';
  } else if (listed.length === 0) {
    yield `${paint(ANSI.green, 'No findings.')}\n`;
  }

  yield* skippedLines(report, paint);
  if (report.admission) {
    yield '\n';
    yield `${paint(ANSI.bold, admissionHeadline(report.admission))}\n`;
    for (const line of admissionLines(report.admission)) yield `  ${line}\n`;
    for (const line of admissionCaveats(report.admission)) {
      yield `  ${paint(ANSI.yellow, line)}\n`;
    }
  }

  const upgrade = upgradeReadinessOf(report);
  if (upgrade) {
    yield '\n';
    yield `${paint(ANSI.bold, upgradeHeadline(upgrade))}\n`;
    for (const line of upgradeLines(upgrade)) yield `  ${line}\n`;
  }

  const { inputs } = report;
  yield '\n';
  yield `${paint(ANSI.bold, `Score ${scoreText(report)}`)}${
    report.cluster ? ` · profile ${report.profile}` : ''
  }${report.cluster ? ` · cluster ${report.cluster}` : ''}${
    inputs.snapshot ? ` · snapshot folder ${inputs.snapshot}` : ''
  }\n`;
  yield `  Judged: ${judgedText(report)}\n`;
  yield `  Checks: ${checksText(report)}\n`;
  // Every category that had checks; without a pass or a failure it is not judged.
  const categories = report.summary.categories.map(
    c => `${categoryTitle(c.category)} ${categoryScoreText(c.score)}`,
  );
  if (categories.length) yield `  ${categories.join(' · ')}\n`;
  const gateLine = gateText(gate, report);
  yield `Gate: ${
    gate.passed ? paint(ANSI.green, gateLine) : paint(ANSI.red, gateLine)
  }\n`;
}

const FIX_INDENT = '             ';

/** The finding's own fix (its YAML or command, what to adapt), else the rule's. */
function* fixLines(
  f: ReportFinding,
  paint: (code: string, text: string) => string,
): Generator<string> {
  const shown = shownFix(f);
  if (!shown) {
    yield `${FIX_INDENT}${paint(ANSI.green, 'fix:')} ${oneLineFix(
      f.remediation,
    )}\n`;
    return;
  }
  yield `${FIX_INDENT}${paint(ANSI.green, 'fix:')} ${shown.summary}\n`;
  if (shown.manual) yield `${FIX_INDENT}  by hand: ${shown.manual}\n`;
  if (shown.body) {
    for (const line of shown.body.text.replace(/\n$/, '').split('\n')) {
      yield `${FIX_INDENT}  ${paint(ANSI.dim, line)}\n`;
    }
  }
  if (shown.adapt) yield `${FIX_INDENT}  example to adapt: ${shown.adapt}\n`;
}

/** The inputs read but not judged, one line each. */
function* skippedLines(
  report: ScanReport,
  paint: (code: string, text: string) => string,
): Generator<string> {
  const { skipped } = report.inputs;
  if (skipped.length === 0) return;
  yield '\n';
  yield `${paint(ANSI.bold, `Skipped, not judged (${skipped.length})`)}\n`;
  for (const s of skipped) {
    yield `  ${paint(ANSI.dim, skippedPlace(s))}  ${s.reason}\n`;
  }
}
