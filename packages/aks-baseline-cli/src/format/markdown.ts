/*
 * Markdown for a pull-request comment: score, grade, gate and how much was
 * judged up front, a table of failing findings, and collapsible details (how
 * to fix each rule, each finding's exact fix, waived and unknown findings,
 * the inputs not judged, the score by category).
 */
import {
  AdmissionForecast,
  AdmissionObject,
  admissionCaveats,
  admissionHeadline,
} from '../admission';
import { upgradeHeadline, upgradeLines, upgradeReadinessOf } from '../upgrade';
import {
  CATEGORIES,
  SEVERITIES,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { describeResource, listedFindings, ReportFinding } from '../report';
import { gateIsSet } from '../gate';
import { shownFix } from '../fix-report';
import {
  categoryScoreText,
  categoryTitle,
  checksText,
  FormatContext,
  gateText,
  judgedText,
  locationText,
  scoreText,
  skippedPlace,
} from './common';
import {
  groupNotProvided,
  notProvidedHint,
  notProvidedText,
} from './not-provided';

/** Keeps a comment under GitHub's 65,536-character limit. */
const MAX_ROWS = 200;

const ICON: Record<Severity, string> = {
  critical: '🟣',
  high: '🔴',
  medium: '🟠',
  low: '🔵',
};

/** Each line with its newline: the comment is written as it is made. */
function* lines(...texts: string[]): Generator<string> {
  for (const text of texts) yield `${text}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function fence(text: string, lang: string): string[] {
  return [`\`\`\`${lang}`, text.replace(/\n$/, ''), '```'];
}

function findingRows(
  findings: readonly ReportFinding[],
  extra: (f: ReportFinding) => string,
): string[] {
  const rows = findings
    .slice(0, MAX_ROWS)
    .map(
      f =>
        `| ${
          f.status === 'fail' ? `${ICON[f.severity]} ${f.severity}` : f.status
        } | ${code(f.ruleId)} | ${f.baselineRef} | ${cell(
          describeResource(f.resource),
        )} | ${f.location ? code(locationText(f)) : '-'} | ${cell(extra(f))} |`,
    );
  if (findings.length > MAX_ROWS) {
    rows.push(
      `| | | | | | … and ${
        findings.length - MAX_ROWS
      } more (see the full report) |`,
    );
  }
  return rows;
}

const HEADER = [
  '| Severity | Rule | Baseline | Object | Location | Finding |',
  '| --- | --- | --- | --- | --- | --- |',
];

/** GitHub refuses a comment over 65,536 characters: the fixes fit below. */
const COMMENT_LIMIT = 65_000;
/** What the footer and the fixes' closing lines need. */
const RESERVE = 600;

/** Failing findings, most severe first (the table's order). */
function ordered(failing: readonly ReportFinding[]): ReportFinding[] {
  return [...failing].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
  );
}

/** One finding's exact fix: the YAML or command, what to adapt. */
function fixEntry(f: ReportFinding): string | undefined {
  const shown = shownFix(f);
  if (!shown || shown.manual) return undefined;
  return [
    `**${f.baselineRef}** ${code(f.ruleId)} on ${cell(
      describeResource(f.resource),
    )}${f.location ? ` (${code(locationText(f))})` : ''}: ${cell(
      shown.summary,
    )}`,
    '',
    ...(shown.adapt ? [`> Example to adapt: ${cell(shown.adapt)}`, ''] : []),
    ...(shown.body ? [...fence(shown.body.text, shown.body.lang), ''] : []),
  ]
    .map(line => `${line}\n`)
    .join('');
}

/** Each failing finding's own fix, as many as fit in `budget` characters. */
function* exactFixes(
  failing: readonly ReportFinding[],
  budget: number,
): Generator<string> {
  const entries = failing
    .map(fixEntry)
    .filter((e): e is string => e !== undefined);
  if (entries.length === 0) return;
  const head = `<details><summary>Exact fixes (${entries.length} finding${
    entries.length === 1 ? '' : 's'
  })</summary>\n\n`;
  let used = head.length;
  let shown = 0;
  for (const entry of entries) {
    if (used + entry.length > budget) break;
    used += entry.length;
    shown++;
  }
  if (shown === 0) return;
  yield head;
  for (const entry of entries.slice(0, shown)) yield entry;
  if (shown < entries.length) {
    yield* lines(
      `… and ${
        entries.length - shown
      } more: the table and SARIF reports have every one; \`aks-baseline fix --dry-run\` shows the safe ones as a diff`,
      '',
    );
  }
  yield* lines('</details>', '');
}

/** The comment, counting what it has written so that the fixes fit the limit. */
export function* formatMarkdown(ctx: FormatContext): Generator<string> {
  const written = { chars: 0 };
  for (const chunk of markdownSections(ctx, written)) {
    written.chars += chunk.length;
    yield chunk;
  }
}

function* markdownSections(
  ctx: FormatContext,
  written: { chars: number },
): Generator<string> {
  const { report, gate } = ctx;
  const listed = listedFindings(report);
  const failing = listed.filter(f => f.status === 'fail');
  const waived = listed.filter(f => f.status === 'waived');
  const unknown = listed.filter(f => f.status === 'unknown');
  // A tick only for a gate that was set and passed: a score is not a pass.
  let mark = '';
  if (gateIsSet(gate)) mark = gate.passed ? '✅ ' : '❌ ';

  yield* lines(`## ${mark}AKS baseline: ${scoreText(report)}`);
  yield* lines('');
  const where = [
    ...(report.cluster
      ? [`profile ${report.profile}`, `cluster ${code(report.cluster)}`]
      : []),
    ...(report.inputs.snapshot
      ? [`snapshot folder ${code(report.inputs.snapshot)}`]
      : []),
  ];
  yield* lines(
    `**Gate:** ${gateText(gate, report)}  `,
    `**Judged:** ${judgedText(report)}  `,
    `**Checks:** ${checksText(report)}${where.map(w => ` · ${w}`).join('')}`,
  );
  yield* lines('');

  if (failing.length > 0) {
    yield* lines(
      '### Failing findings',
      '',
      ...HEADER,
      ...findingRows(ordered(failing), f => f.message),
      '',
    );
  } else {
    yield* lines('No failing findings.', '');
  }

  if (report.admission) yield* admissionSection(report.admission);
  const upgrade = upgradeReadinessOf(report);
  if (upgrade) {
    yield* lines(`### ${upgradeHeadline(upgrade)}`, '');
    for (const line of upgradeLines(upgrade)) yield* lines(`- ${line}`);
    yield '\n';
  }

  const failingRules = new Map<string, ReportFinding>();
  for (const f of failing)
    if (!failingRules.has(f.ruleId)) failingRules.set(f.ruleId, f);
  if (failingRules.size > 0) {
    yield* lines(
      `<details><summary>How to fix (${failingRules.size} rule${
        failingRules.size === 1 ? '' : 's'
      })</summary>`,
      '',
    );
    for (const f of failingRules.values()) {
      yield* lines(`#### ${f.baselineRef} ${code(f.ruleId)}: ${f.title}`, '');
      yield* lines(f.remediation.summary, '');
      if (f.remediation.command)
        yield* lines(...fence(f.remediation.command, 'sh'), '');
      if (f.remediation.snippet)
        yield* lines(...fence(f.remediation.snippet, 'yaml'), '');
    }
    yield* lines('</details>', '');
  }

  if (waived.length > 0) {
    yield* lines(
      `<details><summary>Waived (${waived.length})</summary>`,
      '',
      ...HEADER,
    );
    yield* lines(
      ...findingRows(
        waived,
        f =>
          `${f.waiver?.reason ?? ''}${
            f.waiver?.owner ? ` (${f.waiver.owner}` : ''
          }${f.waiver?.expires ? `, until ${f.waiver.expires}` : ''}${
            f.waiver?.owner ? ')' : ''
          }`,
      ),
    );
    yield* lines('', '</details>', '');
  }
  if (unknown.length > 0) {
    yield* lines(
      `<details><summary>Unknown: could not be decided (${unknown.length})</summary>`,
      '',
      ...HEADER,
    );
    // The checks not made for want of objects: one row per namespace.
    const notProvided = groupNotProvided(unknown);
    const texts = new Map<ReportFinding, string>();
    const rows: ReportFinding[] = [];
    for (const f of unknown) {
      const group = notProvided.get(f);
      if (!group) rows.push(f);
      else if (group.first === f) {
        const row = {
          ...f,
          ruleId: group.ruleIds.join(', '),
          baselineRef: group.baselineRefs.join(', '),
        };
        texts.set(row, `${notProvidedText(group)}: ${notProvidedHint(group)}`);
        rows.push(row);
      }
    }
    yield* lines(
      ...findingRows(rows, f => texts.get(f) ?? f.message),
      '',
      '</details>',
      '',
    );
  }

  const { skipped } = report.inputs;
  if (skipped.length > 0) {
    yield* lines(
      `<details><summary>Skipped, not judged (${skipped.length})</summary>`,
      '',
      '| Location | Why |',
      '| --- | --- |',
    );
    for (const s of skipped.slice(0, MAX_ROWS)) {
      yield* lines(`| ${code(skippedPlace(s))} | ${cell(s.reason)} |`);
    }
    if (skipped.length > MAX_ROWS) {
      yield* lines(
        `| | … and ${skipped.length - MAX_ROWS} more (see the full report) |`,
      );
    }
    yield* lines('', '</details>', '');
  }

  const categories = CATEGORIES.map(c =>
    report.summary.categories.find(s => s.category === c),
  ).filter((c): c is NonNullable<typeof c> => Boolean(c));
  if (categories.length > 0) {
    yield* lines('<details><summary>Score by category</summary>', '');
    yield* lines(
      '| Category | Score | Passed | Failed | Waived | Unknown | Not applicable |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const c of categories) {
      yield* lines(
        `| ${categoryTitle(c.category)} | ${categoryScoreText(c.score)} | ${
          c.passed
        } | ${c.failed} | ${c.waived} | ${c.unknown} | ${c.notApplicable} |`,
      );
    }
    yield* lines('', '</details>', '');
  }
  yield* exactFixes(ordered(failing), COMMENT_LIMIT - RESERVE - written.chars);
  yield* lines(
    `<sub>${report.tool.name} ${report.tool.version} · ${report.stats.checks} checks by ${report.stats.rules} rules</sub>`,
  );
}

/** With --cluster: what the cluster's admission would do, object by object. */
function* admissionSection(forecast: AdmissionForecast): Generator<string> {
  const place = (o: AdmissionObject) =>
    `${cell(describeResource(o.resource))} | ${
      o.location ? code(`${o.location.file}:${o.location.line}`) : '-'
    }`;
  const rows = [
    ...forecast.denied.map(
      o =>
        `| ⛔ deny | ${place(o)} | ${cell(
          o.reasons.join('; ') +
            (o.changes ? ` (also changed: ${o.changes.join(', ')})` : ''),
        )} |`,
    ),
    ...forecast.mutated.map(
      o =>
        `| ✏️ mutate | ${place(o)} | ${cell(
          o.changes?.join(', ') || o.reasons.join('; '),
        )} |`,
    ),
    ...forecast.warned.map(
      o => `| ⚠️ warn | ${place(o)} | ${cell(o.reasons.join('; '))} |`,
    ),
  ];
  yield* lines(`### ${admissionHeadline(forecast)}`, '');
  if (rows.length > 0) {
    yield* lines(
      '| Admission | Object | Location | Why |',
      '| --- | --- | --- | --- |',
      ...rows.slice(0, MAX_ROWS),
      ...(rows.length > MAX_ROWS
        ? [
            `| | | | … and ${
              rows.length - MAX_ROWS
            } more (see the full report) |`,
          ]
        : []),
      '',
    );
  }
  for (const caveat of admissionCaveats(forecast))
    yield* lines(`> ${caveat}`, '');
}
