/*
 * The pull request description of aks-baseline:fix, in Markdown: each rule
 * fixed once with its title and rationale and the objects it changed, then
 * what was left and why, so a reviewer sees the whole story.
 */

/** A finding fixed, as the action outputs it. */
export interface FixedRule {
  ruleId: string;
  baselineRef: string;
  title: string;
  rationale: string;
  resource: string;
  file: string;
  summary: string;
}

/** A file, or a finding's fix, left alone, with why. */
export interface LeftAlone {
  file: string;
  reason: string;
}

export interface NotAppliedFix {
  ruleId: string;
  resource: string;
  reason: string;
}

/** Text safe inside Markdown inline code. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

export function fixDescription(run: {
  fixed: readonly FixedRule[];
  notEdited: readonly LeftAlone[];
  notApplied: readonly NotAppliedFix[];
  toAdapt: readonly NotAppliedFix[];
}): string {
  const out: string[] = [];
  if (run.fixed.length === 0) {
    out.push('No safe fix applies: the manifests are unchanged.');
  } else {
    const files = new Set(run.fixed.map(f => f.file));
    out.push(
      `This pull request applies the AKS baseline's safe fixes to ${
        run.fixed.length
      } finding${run.fixed.length === 1 ? '' : 's'} in ${files.size} file${
        files.size === 1 ? '' : 's'
      } (comments and layout kept).`,
      '',
      '## Findings fixed',
    );
    const byRule = new Map<string, FixedRule[]>();
    for (const f of run.fixed) {
      byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    }
    for (const [ruleId, list] of byRule) {
      const first = list[0];
      out.push(
        '',
        `### [${first.baselineRef}] ${first.title} (${code(ruleId)})`,
        '',
      );
      if (first.rationale) out.push(first.rationale, '');
      for (const f of list) {
        out.push(`- ${f.resource} in ${code(f.file)}: ${f.summary}`);
      }
    }
  }
  if (run.notEdited.length > 0) {
    out.push('', '## Files not edited', '');
    for (const n of run.notEdited) out.push(`- ${code(n.file)}: ${n.reason}`);
  }
  if (run.notApplied.length > 0) {
    out.push('', '## Safe fixes not applied', '');
    for (const n of run.notApplied) {
      out.push(`- ${code(n.ruleId)} on ${n.resource}: ${n.reason}`);
    }
  }
  if (run.toAdapt.length > 0) {
    out.push('', '## Fixes to adapt by hand', '');
    for (const n of run.toAdapt) {
      out.push(
        `- ${code(n.ruleId)} on ${n.resource}${
          n.reason ? `: ${n.reason}` : ''
        }`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
