/*
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): the rules
 * with help text, remediation and baseline key; one result per failing,
 * waived (suppressed) or unknown (review) finding, located at the file and
 * line of its object, and one per input read but not judged.
 */
import { createHash } from 'crypto';
import { Severity } from '@aks-baseline/plugin-aks-baseline-common';
import {
  describeResource,
  listedFindings,
  ReportFinding,
  ReportRule,
} from '../report';
import { categoryTitle, FormatContext, judgedOf } from './common';
import { jsonChunks, lazyList } from './json-stream';
import { NOT_JUDGED_RULE, skippedResult } from './sarif-skipped';
import { fileChange, sarifReplacement, shownFix } from '../fix-report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub ranks security alerts by this CVSS-like number. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
};

/** `container-drop-all-capabilities` → `ContainerDropAllCapabilities`. */
function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(p => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** A URI reference for a display path (`<stdin>` and spaces escaped). */
function uriOf(file: string): string {
  return encodeURI(file).replace(/\?/g, '%3F').replace(/#/g, '%23');
}

function fence(text: string, lang: string): string {
  return `\`\`\`${lang}\n${text.replace(/\n$/, '')}\n\`\`\``;
}

function helpOf(rule: ReportRule): { text: string; markdown: string } {
  const r = rule.remediation;
  const text = [
    `${rule.title} (${rule.baselineRef})`,
    '',
    rule.rationale,
    '',
    `Fix: ${r.summary}`,
    ...(r.command ? ['', r.command] : []),
    ...(r.snippet ? ['', r.snippet.replace(/\n$/, '')] : []),
    '',
    `Baseline key: ${rule.baselineRef} · category: ${categoryTitle(
      rule.category,
    )} · rule: ${rule.id}`,
  ].join('\n');
  const markdown = [
    `**${rule.title}** (baseline \`${rule.baselineRef}\`)`,
    '',
    rule.rationale,
    '',
    `**Fix:** ${r.summary}`,
    ...(r.command ? ['', fence(r.command, 'sh')] : []),
    ...(r.snippet ? ['', fence(r.snippet, 'yaml')] : []),
    '',
    `Baseline key \`${rule.baselineRef}\` · category ${categoryTitle(
      rule.category,
    )} · rule \`${rule.id}\``,
  ].join('\n');
  return { text, markdown };
}

function fingerprint(f: ReportFinding): string {
  const r = f.resource;
  return createHash('sha256')
    .update(
      `${f.ruleId}\u0000${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`,
    )
    .digest('hex')
    .slice(0, 32);
}

export function* formatSarif(ctx: FormatContext): Generator<string> {
  const { report } = ctx;
  const listed = listedFindings(report);
  // Rules that took part, plus any rule a finding names (e.g. by config).
  const rules: ReportRule[] = [...report.rules];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of listed) {
    if (ruleIndex.has(f.ruleId)) continue;
    ruleIndex.set(f.ruleId, rules.length);
    rules.push({
      id: f.ruleId,
      baselineRef: f.baselineRef,
      category: f.category,
      severity: f.severity,
      title: f.title,
      rationale: f.title,
      remediation: f.remediation,
      scope: 'object',
    });
  }

  const sarifRules: unknown[] = rules.map(rule => ({
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: helpOf(rule),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'kubernetes', 'aks', rule.baselineRef, rule.category],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
      baselineRef: rule.baselineRef,
      category: rule.category,
      severity: rule.severity,
    },
  }));

  const { skipped } = report.inputs;
  const notJudgedIndex = sarifRules.length;
  if (skipped.length > 0) sarifRules.push(NOT_JUDGED_RULE);

  const toResult = (f: ReportFinding) => {
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
    };
    if (f.status === 'unknown') {
      // Could not be decided: for a person to review, not a failure.
      result.kind = 'review';
      result.level = 'none';
    } else {
      result.kind = 'fail';
      result.level = LEVEL[f.severity];
    }
    const fix = f.status === 'unknown' ? '' : ` Fix: ${f.remediation.summary}`;
    result.message = {
      text: `${describeResource(f.resource)}: ${f.message}${fix} (${
        f.baselineRef
      })`,
    };
    if (f.location) {
      result.locations = [
        {
          physicalLocation: {
            artifactLocation: { uri: uriOf(f.location.file) },
            region: { startLine: f.location.line },
          },
          logicalLocations: [
            {
              name: f.resource.name,
              fullyQualifiedName: describeResource(f.resource).replace(
                ' ',
                '/',
              ),
              kind: 'resource',
            },
          ],
        },
      ];
    }
    result.partialFingerprints = { 'aksBaselineFinding/v1': fingerprint(f) };
    if (f.status === 'waived' && f.waiver) {
      result.suppressions = [
        {
          kind: 'external',
          status: f.waiver.expired ? 'rejected' : 'accepted',
          justification: `${f.waiver.reason}${
            f.waiver.owner ? ` (owner: ${f.waiver.owner})` : ''
          }${f.waiver.expires ? ` until ${f.waiver.expires}` : ''}`,
        },
      ];
    }
    const properties: Record<string, unknown> = {
      baselineRef: f.baselineRef,
      category: f.category,
      severity: f.severity,
      status: f.status,
      resource: f.resource,
    };
    if (f.evidence) properties.evidence = f.evidence;
    const shown = f.status === 'fail' ? shownFix(f) : undefined;
    if (shown) {
      // The finding's own fix, applied or not: the YAML, the command, or why by hand.
      properties.fix = {
        summary: shown.summary,
        ...(shown.body
          ? { [shown.body.lang === 'sh' ? 'command' : 'yaml']: shown.body.text }
          : {}),
        ...(shown.adapt ? { adapt: shown.adapt } : {}),
        ...(shown.manual ? { manual: shown.manual } : {}),
      };
      // Safe changes to the file, as the fix command writes them.
      const change = fileChange(report, f);
      const before = change && report.readSource?.(change.file);
      if (change && before !== undefined) {
        result.fixes = [
          {
            description: { text: shown.summary },
            artifactChanges: [
              {
                artifactLocation: { uri: uriOf(change.file) },
                replacements: [sarifReplacement(before, change)],
              },
            ],
          },
        ];
      }
    }
    result.properties = properties;
    return result;
  };
  // Made and written one by one: a report of any size streams out.
  const results = lazyList(
    (function* all() {
      for (const f of listed) yield toResult(f);
      for (const s of skipped) yield skippedResult(s, notJudgedIndex, uriOf);
    })(),
    r => r,
  );

  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: sarifRules,
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
        properties: {
          score: report.summary.score,
          grade: report.summary.grade,
          profile: report.profile,
          mode: report.mode,
          gate: ctx.gate,
          judged: judgedOf(report),
          ignoredKinds: report.inputs.ignoredKinds,
          unreadableKinds: report.inputs.unreadable,
        },
      },
    ],
  };
  yield* jsonChunks(sarif);
  yield '\n';
}
