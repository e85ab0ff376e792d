/*
 * A finding's fix as the reports show it: its words (summary, what to
 * adapt), the YAML or command, and for SARIF the change to the file — the
 * lines the engine's editor rewrites and their new text.
 */
import {
  FixSuggestion,
  isSafeFix,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  editManifestText,
  isEditableFix,
  ManifestDocuments,
  splitManifest,
} from '@aks-baseline/plugin-aks-baseline-node';
import { findingFix, ReportFinding, ScanReport } from './report';

/** What a report shows of a finding's fix. */
export interface ShownFix {
  summary: string;
  /** The YAML to paste (patches, new objects) or the command to run. */
  body?: { text: string; lang: 'yaml' | 'sh' };
  /** Present when the fix is an example: what to adapt. */
  adapt?: string;
  /** A fix that must be made by hand, with why. */
  manual?: string;
  fix: FixSuggestion;
}

/** The fix of a failing finding, for display; undefined without one. */
export function shownFix(f: ReportFinding): ShownFix | undefined {
  const fix = findingFix(f);
  if (!fix) return undefined;
  switch (fix.kind) {
    case 'manual':
      return { summary: f.remediation.summary, manual: fix.reason, fix };
    case 'command':
      return {
        summary: fix.summary,
        body: { text: fix.command, lang: 'sh' },
        ...(fix.adapt ? { adapt: fix.adapt } : {}),
        fix,
      };
    default:
      return {
        summary: fix.summary,
        ...(fix.yaml
          ? { body: { text: fix.yaml, lang: 'yaml' as const } }
          : {}),
        ...(fix.adapt ? { adapt: fix.adapt } : {}),
        fix,
      };
  }
}

/** A change to one file: replace lines `startLine..endLine` (none when `endLine < startLine`). */
export interface FileChange {
  file: string;
  startLine: number;
  endLine: number;
  /** The new lines, each ending in a newline. */
  text: string;
}

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** The lines that differ between two texts, as one replacement. */
export function changedLines(
  file: string,
  before: string,
  after: string,
): FileChange | undefined {
  if (before === after) return undefined;
  const a = lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const inserted = b.slice(head, b.length - tail);
  return {
    file,
    startLine: head + 1,
    endLine: a.length - tail,
    text: inserted.map(l => `${l}\n`).join(''),
  };
}

/** Each report's files cut into documents, once per file. */
const DOCUMENTS = new WeakMap<
  ScanReport,
  Map<string, { split: ManifestDocuments; startLines: number[] } | undefined>
>();

function documentsOf(report: ScanReport, file: string) {
  let files = DOCUMENTS.get(report);
  if (!files) DOCUMENTS.set(report, (files = new Map()));
  if (!files.has(file)) {
    const text = report.readSource?.(file);
    const split = text === undefined ? undefined : splitManifest(text);
    if (split === undefined || typeof split === 'string') {
      files.set(file, undefined);
    } else {
      // The 1-based line each document's slice starts on.
      const startLines: number[] = [];
      let line = 1;
      for (const slice of split.slices) {
        startLines.push(line);
        line += slice.split('\n').length - 1;
      }
      files.set(file, { split, startLines });
    }
  }
  return files.get(file);
}

/**
 * The change a safe fix makes to the finding's file, as the editor would
 * write it, worked out on the one document it changes; undefined for fixes
 * to adapt, commands, or a file it cannot edit (then the report still shows
 * the fix in words).
 */
export function fileChange(
  report: ScanReport,
  f: ReportFinding,
): FileChange | undefined {
  const fix = findingFix(f);
  const file = f.location?.file;
  if (!fix || !file || !isSafeFix(fix) || !isEditableFix(fix)) {
    return undefined;
  }
  const documents = documentsOf(report, file);
  if (!documents) return undefined;
  const { slices } = documents.split;
  // The document whose object starts on the finding's line, or holds the target.
  const index = documents.startLines.findIndex(
    (start, i) =>
      start <= f.location!.line &&
      (i + 1 === slices.length ||
        documents.startLines[i + 1] > f.location!.line),
  );
  if (index < 0) return undefined;
  // A new object goes after this document, as the editor puts it.
  const edited = editManifestText(slices[index], [
    fix.kind === 'create' ? { ...fix, besides: undefined } : fix,
  ]);
  if (edited.applied.length === 0) return undefined;
  return offset(
    changedLines(file, slices[index], edited.text),
    documents.startLines[index],
  );
}

function offset(
  change: FileChange | undefined,
  startLine: number,
): FileChange | undefined {
  return (
    change && {
      ...change,
      startLine: change.startLine + startLine - 1,
      endLine: change.endLine + startLine - 1,
    }
  );
}

/** A SARIF region (1-based lines and columns) and the text that replaces it. */
export interface SarifReplacement {
  deletedRegion: {
    startLine: number;
    startColumn: number;
    endLine: number;
    endColumn: number;
  };
  insertedContent: { text: string };
}

/**
 * The change as a SARIF replacement of `before`: from the first changed
 * line's start to the start of the line after the last (or the end of the
 * last line, its newline kept), so that applying it gives the editor's text.
 */
export function sarifReplacement(
  before: string,
  change: FileChange,
): SarifReplacement {
  const a = lines(before);
  const { startLine, endLine, text } = change;
  if (endLine < a.length) {
    return {
      deletedRegion: {
        startLine,
        startColumn: 1,
        endLine: endLine + 1,
        endColumn: 1,
      },
      insertedContent: { text },
    };
  }
  // Up to the end of the file's last line, its newline left where it is.
  const last = Math.max(a.length, 1);
  const lastColumn = (a[last - 1] ?? '').length + 1;
  const inserted = text.replace(/\n$/, '');
  if (startLine > a.length) {
    return {
      deletedRegion: {
        startLine: last,
        startColumn: lastColumn,
        endLine: last,
        endColumn: lastColumn,
      },
      insertedContent: { text: a.length > 0 ? `\n${inserted}` : inserted },
    };
  }
  return {
    deletedRegion: {
      startLine,
      startColumn: 1,
      endLine: last,
      endColumn: lastColumn,
    },
    insertedContent: { text: inserted },
  };
}
