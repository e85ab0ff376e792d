/*
 * `aks-baseline fix`: scans the inputs, then applies the safe fixes of the
 * failing findings to the manifests in place (or shows them as a diff),
 * through the engine's YAML editor, which keeps comments, key order,
 * quoting and the documents' layout. What it leaves alone is said, with
 * why: fixes that are examples to adapt, files it does not edit (standard
 * input, JSON, rendered Helm output, unrendered templates), and any edit
 * the editor refuses.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FixSuggestion } from '@aks-baseline/plugin-aks-baseline-common';
import {
  planManifestFixes,
  unifiedDiff,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from './errors';
import { BUILT_IN_RULE_SET } from './load/rules';
import { findingFix, ReportFinding, ScanReport } from './report';
import { resolveRuleSelection, scan, ScanOptions } from './scan';

export interface FixOptions
  extends Omit<ScanOptions, 'rules' | 'only' | 'skip' | 'readStdin'> {
  /** Rule ids or baseline keys whose findings to fix (all when absent). */
  rules?: string[];
  /** Show the diff; write nothing. */
  dryRun?: boolean;
}

/** A finding and the fix applied (or left) for it. */
export interface FixedFinding {
  finding: ReportFinding;
  fix: FixSuggestion;
}

export interface FileChange {
  /** As shown (relative to the working directory). */
  file: string;
  before: string;
  after: string;
  fixed: FixedFinding[];
}

export interface FixRun {
  /** The scan before any fix. */
  report: ScanReport;
  changes: FileChange[];
  /** Fixes that are examples to adapt: shown, never applied. */
  toAdapt: FixedFinding[];
  /** Safe fixes that were not applied, with why. */
  notApplied: (FixedFinding & { reason: string })[];
  /** Files with fixes that are not edited, with why. */
  notEdited: { file: string; reason: string }[];
}

/** Scans, works out the changes (the engine's planner) and, unless `dryRun`, writes them. */
export async function runFix(options: FixOptions): Promise<FixRun> {
  if (options.inputs.includes('-')) {
    throw new InputError(
      'fix edits files in place: give files or folders, not standard input',
    );
  }
  if (options.inputs.length === 0) {
    throw new InputError('nothing to fix: give files or folders');
  }
  const selected = options.rules?.length
    ? resolveRuleSelection(options.rules, '--rules', BUILT_IN_RULE_SET.rules)
    : undefined;
  const { rules: _selection, dryRun: _dryRun, ...scanOptions } = options;
  const report = await scan({
    ...scanOptions,
    readStdin: async () => {
      throw new InputError('fix does not read standard input');
    },
  });

  const unread = new Set(
    report.inputs.skipped.filter(s => s.line === undefined).map(s => s.file),
  );
  const plan = planManifestFixes({
    findings: report.findings.filter(f => !selected || selected.has(f.ruleId)),
    fixOf: findingFix,
    files: report.inputs.files.filter(f => !unread.has(f)),
    readFile: file => fs.readFileSync(path.resolve(options.cwd, file), 'utf8'),
    defaultNamespace: options.namespace,
  });
  if (!options.dryRun) {
    for (const change of plan.changes) {
      fs.writeFileSync(path.resolve(options.cwd, change.file), change.after);
    }
  }
  return { report, ...plan };
}

/** The run as a unified diff of every changed file. */
export function fixDiff(run: FixRun): string {
  return run.changes.map(c => unifiedDiff(c.before, c.after, c.file)).join('');
}
