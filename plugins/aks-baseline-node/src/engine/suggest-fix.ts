/*
 * A failure's fix, worked out when the finding is read (never while
 * evaluating): the rule's `fix` on the subject, with the YAML it shows.
 */
import {
  Evidence,
  FixSuggestion,
} from '@aks-baseline/plugin-aks-baseline-common';
import { withYaml } from '../fix/fragment';
import { EngineContext } from './context';
import { FixFunction, RuleDefinition } from './rule';
import { SubjectEntry } from './subjects';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The rule's fix for one subject's failure, or undefined when it has none. */
export function suggestFix(
  rule: RuleDefinition,
  entry: SubjectEntry,
  evidence: readonly Evidence[],
  ctx: EngineContext,
): FixSuggestion | undefined {
  const fix = rule.fix as FixFunction<unknown> | undefined;
  if (!fix) return undefined;
  ctx.profile = entry.profile;
  try {
    const suggestion = fix(entry.subject, evidence, ctx);
    return suggestion && withYaml(suggestion, entry.object);
  } catch (error) {
    // A broken fix must not hide the finding: it says so instead.
    return {
      kind: 'manual',
      reason: `The rule's fix failed to run: ${errorMessage(error)}`,
    };
  }
}
