/*
 * docs/rules.md, generated from the rule catalog so that it never drifts:
 * a test compares the file with this output (UPDATE_DOCS=1 rewrites it),
 * giving it each rule's source file.
 */
import {
  BASELINE_ITEMS,
  CATEGORIES,
  CATEGORY_TITLES,
  SEVERITY_WEIGHTS,
} from '@aks-baseline/plugin-aks-baseline-common';
import { partsOf } from '../engine/rule-parts';
import { AnyRuleDefinition } from '../engine/rule';
import { RULE_CATALOG } from '../rules';
import { frameworkLines, frameworkMappingSection } from './frameworksDoc';

const SCOPE_TEXT: Record<string, string> = {
  cluster: 'cluster',
  nodePool: 'node pool',
  namespace: 'namespace',
  workload: 'workload',
  object: 'object',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function fence(text: string, lang: string): string {
  // A fence longer than any backtick run inside the text.
  const runs = text.match(/`+/g) ?? [];
  const longest = runs.reduce((n, r) => Math.max(n, r.length), 2);
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text.trimEnd()}\n${ticks}`;
}

function sourceText(rule: AnyRuleDefinition, long: boolean): string {
  if (rule.manual) return 'manual';
  if (rule.source === 'arm') return long ? 'Azure Resource Manager' : 'ARM';
  return long ? 'Kubernetes API' : 'Kubernetes';
}

function appliesText(rule: AnyRuleDefinition): string {
  const parts: string[] = [SCOPE_TEXT[rule.scope] ?? rule.scope];
  const { subjectKinds, profiles, modes } = partsOf(rule);
  if (rule.scope === 'workload' || rule.scope === 'object') {
    parts.push(`(${subjectKinds.join(', ')})`);
  }
  if (profiles?.length) parts.push(`— ${profiles.join(', ')} only`);
  if (modes?.length === 1) {
    parts.push(
      modes[0] === 'manifests'
        ? '— manifest scans only'
        : '— cluster reads only',
    );
  }
  return parts.join(' ');
}

/** @public */
export interface RulesDocOptions {
  /**
   * Rule id → the file that defines it, relative to the repository root;
   * linked from each rule's section (docs/rules.md lives in docs/).
   */
  sourceFiles?: ReadonlyMap<string, string>;
}

/**
 * The markdown of docs/rules.md for a catalog.
 *
 * @public
 */
export function generateRulesDoc(
  rules: readonly AnyRuleDefinition[] = RULE_CATALOG,
  options: RulesDocOptions = {},
): string {
  const items = new Map(BASELINE_ITEMS.map(i => [i.key, i]));
  const out: string[] = [];
  out.push('# AKS Baseline rules');
  out.push('');
  out.push(
    '<!-- Generated from the rule catalog by plugins/aks-baseline-node/src/docs/generateRulesDoc.ts. Do not edit: run `yarn workspace @aks-baseline/plugin-aks-baseline-node docs:rules`. -->',
  );
  out.push('');
  const evaluable = rules.filter(r => !r.manual).length;
  out.push(
    `${
      rules.length
    } rules: ${evaluable} evaluated from the Azure Resource Manager and Kubernetes APIs, ${
      rules.length - evaluable
    } manual (a checklist the owner confirms, outside the score). Weights per severity: ${Object.entries(
      SEVERITY_WEIGHTS,
    )
      .map(([s, w]) => `${s} ${w}`)
      .join(
        ', ',
      )} (see [scoring.md](scoring.md)). Any rule can be disabled, given another severity or waived (see [waivers.md](waivers.md)).`,
  );
  out.push('');
  out.push('| id | baseline | severity | scope | source | title |');
  out.push('|---|---|---|---|---|---|');
  for (const category of CATEGORIES) {
    for (const r of rules.filter(x => x.category === category)) {
      out.push(
        `| [\`${r.id}\`](#${r.id}) | ${r.baselineRef} | ${r.severity} | ${cell(
          appliesText(r),
        )} | ${sourceText(r, false)} | ${cell(r.title)} |`,
      );
    }
  }
  out.push(...frameworkMappingSection(rules));
  for (const category of CATEGORIES) {
    const section = rules.filter(r => r.category === category);
    if (section.length === 0) continue;
    out.push('');
    out.push(`## ${CATEGORY_TITLES[category]}`);
    for (const r of section) {
      const item = items.get(r.baselineRef);
      out.push('');
      out.push(`### ${r.id}`);
      out.push('');
      out.push(`**${cell(r.title)}**`);
      out.push('');
      out.push(
        `- Baseline: ${r.baselineRef}${item ? ` — ${item.title}` : ''}${
          item?.required ? ' (required)' : ''
        }`,
      );
      out.push(`- Severity: ${r.severity}`);
      out.push(`- Category: ${CATEGORY_TITLES[r.category]}`);
      out.push(`- Applies to: ${appliesText(r)}`);
      const file = options.sourceFiles?.get(r.id);
      if (file) out.push(`- Defined in: [${file}](../${file})`);
      const reads = partsOf(r).reads;
      out.push(
        `- Source: ${sourceText(r, true)}${
          reads.length ? `; reads ${reads.join(', ')}` : ''
        }`,
      );
      out.push(...frameworkLines(r));
      out.push('');
      out.push(`Why: ${r.rationale.trim()}`);
      if (r.manual) {
        out.push('');
        out.push(`Manual: ${r.manual.reason.trim()}`);
      }
      out.push('');
      out.push(`Fix: ${r.remediation.summary.trim()}`);
      if (r.remediation.command) {
        out.push('');
        out.push(fence(r.remediation.command, 'sh'));
      }
      if (r.remediation.snippet) {
        out.push('');
        out.push(fence(r.remediation.snippet, 'yaml'));
      }
      if (!r.manual) {
        out.push('');
        out.push(
          r.fix
            ? "Exact fix: worked out for each finding (the object's patch, the object to add, or the command with the real names), shown with the finding."
            : `No exact fix: ${(
                r.fixUnavailable ?? 'the rule does not say why.'
              ).trim()}`,
        );
      }
    }
  }
  out.push('');
  return out.join('\n');
}
