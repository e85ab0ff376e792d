/*
 * From failing findings to edited manifest texts: which file each safe fix
 * goes to, which files are not edited (and why), and the new text of each
 * file through the YAML editor. Writes nothing: the CLI's `fix` and the
 * scaffolder's `aks-baseline:fix` both call it and write the changes
 * themselves, so both fix the same findings the same way.
 */
import {
  FindingStatus,
  FixSuggestion,
  isSafeFix,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import { parseAllDocuments } from 'yaml';
import { EditableFix, editManifestText, isEditableFix } from './yaml-editor';

/**
 * What the planner reads of a finding; the CLI's report findings and the
 * engine's findings both have it.
 *
 * @public
 */
export interface FixableFinding {
  ruleId: string;
  status: FindingStatus;
  resource: ResourceRef;
  /** The file holding the object; looked up by kind and name when absent. */
  location?: { file: string };
}

/** @public */
export interface PlannedFix<F extends FixableFinding> {
  finding: F;
  fix: FixSuggestion;
}

/** @public */
export interface ManifestFileChange<F extends FixableFinding> {
  /** The file as the caller named it. */
  file: string;
  before: string;
  after: string;
  fixed: PlannedFix<F>[];
}

/** @public */
export interface ManifestFixPlan<F extends FixableFinding> {
  changes: ManifestFileChange<F>[];
  /** Fixes that are examples to adapt: shown, never applied. */
  toAdapt: PlannedFix<F>[];
  /** Safe fixes that were not applied, with why. */
  notApplied: (PlannedFix<F> & { reason: string })[];
  /** Files with fixes that are not edited, with why. */
  notEdited: { file: string; reason: string }[];
}

/** @public */
export interface PlanFixesOptions<F extends FixableFinding> {
  /** The findings of a scan of `files` (failing ones are fixed). */
  findings: readonly F[];
  /** The finding's fix, if it has one. */
  fixOf(finding: F): FixSuggestion | undefined;
  /** The files read and judged, as named in the findings. */
  files: readonly string[];
  /** A file's current text. */
  readFile(file: string): string;
  /** Namespace of namespaced objects that name none (as `kubectl apply -n`). */
  defaultNamespace?: string;
}

/**
 * Why a file is not edited in place, or undefined when it may be.
 *
 * @public
 */
export function notEditableReason(
  file: string,
  text: string,
): string | undefined {
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
    private readonly files: readonly string[],
    private readonly readFile: (file: string) => string,
    private readonly defaultNamespace: string,
  ) {}

  private objects(file: string): unknown[] {
    let objects = this.cache.get(file);
    if (!objects) {
      try {
        objects = parseAllDocuments(this.readFile(file), {
          logLevel: 'error',
        }).map(d => d.toJS());
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

/**
 * Works out the safe fixes of the failing findings and the files' new
 * texts; only files whose text changes are in `changes`.
 *
 * @public
 */
export function planManifestFixes<F extends FixableFinding>(
  options: PlanFixesOptions<F>,
): ManifestFixPlan<F> {
  const plan: ManifestFixPlan<F> = {
    changes: [],
    toAdapt: [],
    notApplied: [],
    notEdited: [],
  };
  const objectFiles = new ObjectFiles(
    options.files.filter(f => f !== '<stdin>'),
    options.readFile,
    options.defaultNamespace ?? 'default',
  );
  const uniqueFile = (ref: ResourceRef) => {
    const files = objectFiles.find(ref);
    return files.length === 1 ? files[0] : undefined;
  };
  // Fixes by the file they go to, in the findings' order.
  const byFile = new Map<string, { finding: F; fix: EditableFix }[]>();
  for (const finding of options.findings) {
    if (finding.status !== 'fail') continue;
    const fix = options.fixOf(finding);
    if (!fix || fix.kind === 'command' || fix.kind === 'manual') continue;
    if (!isSafeFix(fix)) {
      plan.toAdapt.push({ finding, fix });
      continue;
    }
    if (!isEditableFix(fix)) {
      plan.notApplied.push({
        finding,
        fix,
        reason: 'a strategic merge patch (apply it with kubectl patch)',
      });
      continue;
    }
    let file = finding.location?.file ?? uniqueFile(finding.resource);
    if (fix.kind === 'patch' && !sameObject(fix.target, finding.resource)) {
      file = uniqueFile(fix.target);
    }
    if (!file) {
      plan.notApplied.push({
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
    const before = file === '<stdin>' ? '' : options.readFile(file);
    const why = notEditableReason(file, before);
    if (why) {
      plan.notEdited.push({ file, reason: why });
      for (const e of entries) plan.notApplied.push({ ...e, reason: why });
      continue;
    }
    // One fix per finding; the same change asked twice is applied once.
    const edited = editManifestText(
      before,
      entries.map(e => e.fix),
      { defaultNamespace: options.defaultNamespace },
    );
    const refused = new Map(edited.refused.map(r => [r.fix, r.reason]));
    const fixed: PlannedFix<F>[] = [];
    for (const e of entries) {
      const reason = refused.get(e.fix);
      if (reason) plan.notApplied.push({ ...e, reason });
      else fixed.push(e);
    }
    if (edited.text !== before) {
      plan.changes.push({ file, before, after: edited.text, fixed });
    }
  }
  return plan;
}
