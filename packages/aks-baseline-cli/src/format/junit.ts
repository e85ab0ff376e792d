/*
 * JUnit XML for test result viewers (Azure Pipelines PublishTestResults,
 * GitLab, Jenkins): one testsuite per input file (or per rule category),
 * one failing testcase per failing finding, a skipped one per waived or
 * unknown finding and per input not judged (skipped documents at their
 * place, ignored and unreadable kinds in a `(not judged)` suite), and one
 * passing testcase per object for its passed checks.
 */
import { CATEGORIES } from '@aks-baseline/plugin-aks-baseline-common';
import {
  describeResource,
  listedFindings,
  oneLineFix,
  ReportFinding,
  ReportSubject,
  ScanReport,
  SkippedDocument,
} from '../report';
import {
  categoryTitle,
  FormatContext,
  scoreText,
  skippedPlace,
} from './common';

function xml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot carry at all.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

interface Case {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
}

interface Suite {
  name: string;
  cases: Case[];
}

function findingCase(f: ReportFinding, classname: string): Case {
  const c: Case = {
    name: `${describeResource(f.resource)}: ${f.baselineRef} ${f.ruleId}`,
    classname,
  };
  if (f.location) {
    c.file = f.location.file;
    c.line = f.location.line;
  }
  if (f.status === 'fail') {
    const lines = [
      f.message,
      `Fix: ${oneLineFix(f.remediation)}`,
      ...(f.remediation.command ? [f.remediation.command] : []),
      `Rule: ${f.ruleId} (${f.title}) · baseline ${f.baselineRef} · severity ${f.severity}`,
      ...(f.location ? [`At: ${f.location.file}:${f.location.line}`] : []),
      ...(f.evidence ?? []).map(
        e =>
          `Evidence: ${e.path} = ${JSON.stringify(e.value) ?? 'absent'}${
            e.expected ? ` (expected ${e.expected})` : ''
          }`,
      ),
    ];
    c.failure = {
      message: f.message,
      type: f.severity,
      body: lines.join('\n'),
    };
  } else if (f.status === 'waived') {
    c.skipped = `waived${f.waiver?.owner ? ` by ${f.waiver.owner}` : ''}: ${
      f.waiver?.reason ?? ''
    }`;
  } else {
    c.skipped = `unknown: ${f.message}`;
  }
  return c;
}

function passCase(s: ReportSubject, classname: string): Case {
  const c: Case = {
    name: `${describeResource(s.resource)}: ${s.passed} check${
      s.passed === 1 ? '' : 's'
    } passed`,
    classname,
  };
  if (s.location) {
    c.file = s.location.file;
    c.line = s.location.line;
  }
  return c;
}

const NOT_JUDGED = '(not judged)';

/** A skipped testcase for an input read but not judged. */
function skippedInputCase(s: SkippedDocument, classname: string): Case {
  const what = s.object
    ? describeResource({
        kind: s.object.kind,
        namespace: s.object.namespace,
        name: s.object.name ?? '(no name)',
      })
    : skippedPlace(s);
  const c: Case = {
    name: `${what}: not judged`,
    classname,
    file: s.file,
    skipped: `not judged: ${s.reason}`,
  };
  if (s.line !== undefined) c.line = s.line;
  return c;
}

/** Skipped testcases for what has no place of its own: ignored kinds, unreadable kinds. */
function notJudgedCases(report: ScanReport): Case[] {
  const cases: Case[] = [];
  for (const [kind, n] of Object.entries(report.inputs.ignoredKinds)) {
    cases.push({
      name: `${kind}: ${n} object${n === 1 ? '' : 's'} ignored`,
      classname: NOT_JUDGED,
      skipped: 'no rule reads this kind: counted, not judged',
    });
  }
  for (const [kind, reason] of Object.entries(report.inputs.unreadable)) {
    cases.push({
      name: `${kind}: could not be read`,
      classname: NOT_JUDGED,
      skipped: `not judged: ${reason}`,
    });
  }
  return cases;
}

function byFile(ctx: FormatContext): Suite[] {
  const { report } = ctx;
  const suites = new Map<string, Suite>();
  const suite = (name: string) => {
    let s = suites.get(name);
    if (!s) suites.set(name, (s = { name, cases: [] }));
    return s;
  };
  for (const file of report.inputs.files) suite(file);
  const other = '(not in the inputs)';
  for (const s of report.subjects) {
    if (s.passed === 0) continue;
    const file = s.location?.file ?? other;
    suite(file).cases.push(passCase(s, file));
  }
  for (const f of listedFindings(report)) {
    const file = f.location?.file ?? other;
    suite(file).cases.push(findingCase(f, file));
  }
  for (const s of report.inputs.skipped) {
    suite(s.file).cases.push(skippedInputCase(s, s.file));
  }
  for (const s of suites.values()) {
    s.cases.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
  const rest = notJudgedCases(report);
  if (rest.length > 0) suite(NOT_JUDGED).cases.push(...rest);
  return [...suites.values()].filter(s => s.cases.length > 0);
}

function byCategory(ctx: FormatContext): Suite[] {
  const { report } = ctx;
  const out: Suite[] = [];
  const listed = listedFindings(report);
  for (const category of CATEGORIES) {
    const summary = report.summary.categories.find(
      c => c.category === category,
    );
    const findings = listed.filter(f => f.category === category);
    if (!summary && findings.length === 0) continue;
    const name = categoryTitle(category);
    const cases: Case[] = [];
    if (summary && summary.passed > 0) {
      cases.push({
        name: `${name}: ${summary.passed} check${
          summary.passed === 1 ? '' : 's'
        } passed`,
        classname: category,
      });
    }
    for (const f of findings) cases.push(findingCase(f, category));
    if (cases.length) out.push({ name, cases });
  }
  const notJudged = [
    ...report.inputs.skipped.map(s => skippedInputCase(s, NOT_JUDGED)),
    ...notJudgedCases(report),
  ];
  if (notJudged.length) out.push({ name: NOT_JUDGED, cases: notJudged });
  return out;
}

function* caseLines(c: Case): Generator<string> {
  const attrs = [
    `name="${xml(c.name)}"`,
    `classname="${xml(c.classname)}"`,
    ...(c.file ? [`file="${xml(c.file)}"`] : []),
    ...(c.line !== undefined ? [`line="${c.line}"`] : []),
  ].join(' ');
  if (c.failure) {
    yield `    <testcase ${attrs}>\n`;
    yield `      <failure message="${xml(c.failure.message)}" type="${xml(
      c.failure.type,
    )}">${xml(c.failure.body)}</failure>\n`;
    yield '    </testcase>\n';
  } else if (c.skipped !== undefined) {
    yield `    <testcase ${attrs}>\n`;
    yield `      <skipped message="${xml(c.skipped)}"/>\n`;
    yield '    </testcase>\n';
  } else {
    yield `    <testcase ${attrs}/>\n`;
  }
}

export function* formatJunit(ctx: FormatContext): Generator<string> {
  const suites = ctx.junitGroup === 'category' ? byCategory(ctx) : byFile(ctx);
  // The totals go first, in the root element: counted before writing.
  const totals = suites.map(suite => ({
    failures: suite.cases.filter(c => c.failure).length,
    skipped: suite.cases.filter(c => c.skipped !== undefined).length,
  }));
  const sum = (key: 'failures' | 'skipped') =>
    totals.reduce((n, t) => n + t[key], 0);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const name = `AKS baseline: ${scoreText(ctx.report)}`;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="${xml(name)}" tests="${tests}" failures="${sum(
    'failures',
  )}" errors="0" skipped="${sum('skipped')}">\n`;
  for (let i = 0; i < suites.length; i++) {
    const suite = suites[i];
    yield `  <testsuite name="${xml(suite.name)}" tests="${
      suite.cases.length
    }" failures="${totals[i].failures}" errors="0" skipped="${
      totals[i].skipped
    }">\n`;
    for (const c of suite.cases) yield* caseLines(c);
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}
