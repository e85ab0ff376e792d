/*
 * The framework mapping's part of docs/rules.md: a table of every mapped
 * rule and the lines of each rule's section.
 */
import {
  AzurePolicyDefinitionRef,
  CIS_AKS_BENCHMARK_VERSION,
  RuleFrameworks,
} from '@aks-baseline/plugin-aks-baseline-common';
import { AnyRuleDefinition } from '../engine/rule';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function pssText(f: RuleFrameworks, long: boolean): string | undefined {
  const pss = f.podSecurityStandards;
  if (!pss) return undefined;
  if (pss.level === null) return long ? `none — ${pss.reason}` : 'none';
  return `${pss.level} (${pss.controls.join(', ')})`;
}

function policyText(p: AzurePolicyDefinitionRef): string {
  return `${p.displayName}${p.deploymentSafeguards ? ' (Safeguards)' : ''}`;
}

/** The "Framework mapping" section: what the columns mean, then one row per mapped rule. */
export function frameworkMappingSection(
  rules: readonly AnyRuleDefinition[],
): string[] {
  const mapped = rules.filter(r => r.frameworks);
  if (mapped.length === 0) return [];
  const out: string[] = [];
  out.push('');
  out.push('## Framework mapping');
  out.push('');
  out.push(
    `What each rule stands for in the frameworks auditors ask about (served by \`GET /rules\` as \`frameworks\`). CIS: recommendation ids of the CIS Azure Kubernetes Service (AKS) Benchmark v${CIS_AKS_BENCHMARK_VERSION}; a rule without one has no recommendation we could verify, and none is guessed. Pod Security Standards: the lowest level whose controls require what the rule checks. Azure Policy: built-in definitions that audit or enforce it, by display name (their names, the GUIDs, are in each rule's section); "(Safeguards)" marks those AKS Deployment Safeguards assign.`,
  );
  out.push('');
  out.push('| id | CIS AKS | Pod Security Standards | Azure Policy |');
  out.push('|---|---|---|---|');
  for (const r of mapped) {
    const f = r.frameworks!;
    out.push(
      `| [\`${r.id}\`](#${r.id}) | ${f.cisAks?.join(', ') ?? ''} | ${
        pssText(f, false) ?? ''
      } | ${cell((f.azurePolicy ?? []).map(policyText).join('; '))} |`,
    );
  }
  return out;
}

/** The lines of a rule's section that name its frameworks. */
export function frameworkLines(rule: AnyRuleDefinition): string[] {
  const f = rule.frameworks;
  if (!f) return [];
  const out: string[] = [];
  if (f.cisAks?.length) {
    out.push(
      `- CIS AKS Benchmark v${CIS_AKS_BENCHMARK_VERSION}: ${f.cisAks.join(
        ', ',
      )}`,
    );
  }
  const pss = pssText(f, true);
  if (pss) out.push(`- Pod Security Standards: ${cell(pss)}`);
  for (const p of f.azurePolicy ?? []) {
    out.push(`- Azure Policy: ${cell(policyText(p))} (\`${p.id}\`)`);
  }
  return out;
}
