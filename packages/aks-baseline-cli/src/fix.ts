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
import {
  FixSuggestion,
  isSafeFix,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  EditableFix,
  editManifestText,
  isEditableFix,
  unifiedDiff,
} from '@aks-baseline/plugin-aks-baseline-node';
import { parseAllDocuments } from 'yaml';
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

/** Why a file is not edited in place, or undefined when it may be. */
function notEditableReason(file: string, text: string): string | undefined {
  if (file === '<stdin>') return 'standard input cannot be edited in place';
  if (/\.json$/i.test(file)) {
    return 'JSON files are not edited (apply the fix to the YAML it came from)';
  }
  if (/^# Source: .+\/templates\//m.test(text)) {
    return "rendered Helm output: fix the chart's templates or values instead";
  }
  return undefined;
}

function sameObject(a: ResourceRef, b: ResourceRef): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    (a.namespace ?? '') === (b.namespace ?? '')
  );
}

/** The files holding a given object, by reading the inputs' documents. */
class ObjectFiles {
  private readonly cache = new Map<string, unknown[]>();

  constructor(
    private readonly cwd: string,
    private readonly files: readonly string[],
    private readonly defaultNamespace: string,
  ) {}

  private objects(file: string): unknown[] {
    let objects = this.cache.get(file);
    if (!objects) {
      try {
        const text = fs.readFileSync(path.resolve(this.cwd, file), 'utf8');
        objects = parseAllDocuments(text, { logLevel: 'error' }).map(d =>
          d.toJS(),
        );
      } catch {
        objects = [];
      }
      this.cache.set(file, objects);
    }
    return objects;
  }

  find(ref: ResourceRef): string[] {
    return this.files.filter(file =>
      this.objects(file).some((o: any) => {
        if (!o || o.kind !== ref.kind || o.metadata?.name !== ref.name) {
          return false;
        }
        const ns = o.metadata?.namespace || this.defaultNamespace;
        return !ref.namespace || ns === ref.namespace;
      }),
    );
  }
}

/** Scans, works out the changes and, unless `dryRun`, writes them. */
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

  const run: FixRun = {
    report,
    changes: [],
    toAdapt: [],
    notApplied: [],
    notEdited: [],
  };
  const unread = new Set(
    report.inputs.skipped.filter(s => s.line === undefined).map(s => s.file),
  );
  const objectFiles = new ObjectFiles(
    options.cwd,
    report.inputs.files.filter(f => !unread.has(f) && f !== '<stdin>'),
    options.namespace ?? 'default',
  );
  // Fixes by the file they go to, in the report's order.
  const byFile = new Map<
    string,
    { finding: ReportFinding; fix: EditableFix }[]
  >();
  for (const finding of report.findings) {
    if (finding.status !== 'fail') continue;
    if (selected && !selected.has(finding.ruleId)) continue;
    const fix = findingFix(finding);
    if (!fix || fix.kind === 'command' || fix.kind === 'manual') continue;
    if (!isSafeFix(fix)) {
      run.toAdapt.push({ finding, fix });
      continue;
    }
    if (!isEditableFix(fix)) {
      run.notApplied.push({
        finding,
        fix,
        reason: 'a strategic merge patch (apply it with kubectl patch)',
      });
      continue;
    }
    let file = finding.location?.file;
    if (fix.kind === 'patch' && !sameObject(fix.target, finding.resource)) {
      const files = objectFiles.find(fix.target);
      file = files.length === 1 ? files[0] : undefined;
    }
    if (!file) {
      run.notApplied.push({
        finding,
        fix,
        reason: 'no one input file holds the object to change',
      });
      continue;
    }
    const list = byFile.get(file) ?? [];
    list.push({ finding, fix });
    byFile.set(file, list);
  }

  for (const [file, entries] of byFile) {
    const absolute = path.resolve(options.cwd, file);
    const before = file === '<stdin>' ? '' : fs.readFileSync(absolute, 'utf8');
    const why = notEditableReason(file, before);
    if (why) {
      run.notEdited.push({ file, reason: why });
      for (const e of entries) run.notApplied.push({ ...e, reason: why });
      continue;
    }
    // One fix per finding; the same change asked twice is applied once.
    const fixes = entries.map(e => e.fix);
    const edited = editManifestText(before, fixes, {
      defaultNamespace: options.namespace,
    });
    const refused = new Map(edited.refused.map(r => [r.fix, r.reason]));
    const fixed: FixedFinding[] = [];
    for (const e of entries) {
      const reason = refused.get(e.fix);
      if (reason) run.notApplied.push({ ...e, reason });
      else fixed.push(e);
    }
    if (edited.text !== before) {
      run.changes.push({ file, before, after: edited.text, fixed });
      if (!options.dryRun) fs.writeFileSync(absolute, edited.text);
    }
  }
  return run;
}

/** The run as a unified diff of every changed file. */
export function fixDiff(run: FixRun): string {
  return run.changes.map(c => unifiedDiff(c.before, c.after, c.file)).join('');
}
