/*
 * Applies fixes to a manifest file's text, editing only what each fix
 * changes (yaml-splice.ts) and checking every edit: the file must parse to
 * exactly the objects the fixes describe, the patched object equal to the
 * JSON Patch applied to it, every other document unchanged. A fix that
 * cannot be written so, or whose object is not (or not once) in the file,
 * is refused with the reason; the text is then left as it was for it.
 */
import {
  FixSuggestion,
  JsonPatchOperation,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  Document,
  isPair,
  isSeq,
  parseAllDocuments,
  stringify,
  visit,
} from 'yaml';
import { applyJsonPatch } from './json-patch';
import { isRecord, parsePointer, valueAt } from './pointer';
import { Layout, spliceOperation, YamlEditError } from './yaml-splice';

/**
 * A fix the editor can apply: a JSON Patch, or an object to add.
 *
 * @public
 */
export type EditableFix = Extract<
  FixSuggestion,
  { kind: 'create' } | { kind: 'patch'; format: 'json-patch' }
>;

/** @public */
export interface EditOptions {
  /** The namespace of namespaced objects that name none (`kubectl apply -n`). */
  defaultNamespace?: string;
  /** Whether a kind is namespaced; defaults to every kind but a few cluster-wide ones. */
  isNamespaced?: (kind: string) => boolean;
}

/** @public */
export interface EditResult {
  /** The new text (the input when nothing applied). */
  text: string;
  applied: EditableFix[];
  refused: { fix: EditableFix; reason: string }[];
}

const CLUSTER_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'StorageClass',
  'PriorityClass',
  'GatewayClass',
  'PersistentVolume',
  'Node',
]);

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function parse(text: string): Document[] {
  return parseAllDocuments(text, { logLevel: 'error' }) as Document[];
}

function parseErrors(docs: readonly Document[]): string | undefined {
  for (const doc of docs) {
    if (doc.errors.length > 0) return doc.errors[0].message;
  }
  return undefined;
}

/** Lists under a key as the document writes them (kubectl: not indented). */
function layoutOf(doc: Document, text: string): Layout {
  let indentSeq: boolean | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (indentSeq !== undefined) return visit.BREAK;
      if (!isPair(pair) || !isSeq(pair.value) || pair.value.flow)
        return undefined;
      const keyStart = (pair.key as { range?: number[] })?.range?.[0];
      const seqStart = pair.value.range?.[0];
      if (keyStart === undefined || seqStart === undefined) return undefined;
      const column = (pos: number) =>
        pos - (text.lastIndexOf('\n', pos - 1) + 1);
      indentSeq = column(seqStart) > column(keyStart);
      return visit.BREAK;
    },
  });
  return { indentSeq: indentSeq ?? false };
}

/**
 * The operations as edits of `current`: adding a map where one already is
 * (another fix created it) adds its keys instead; adding what is already
 * there is nothing to do.
 */
function normalize(
  current: unknown,
  operations: readonly JsonPatchOperation[],
): JsonPatchOperation[] {
  const out: JsonPatchOperation[] = [];
  const visitAdd = (path: string, value: unknown) => {
    const there = valueAt(current, parsePointer(path));
    if (sameJson(there, value)) return;
    const segments = parsePointer(path);
    const parent = valueAt(current, segments.slice(0, -1));
    // Into a map only: `add` at a list index inserts an item.
    if (isRecord(value) && isRecord(there) && isRecord(parent)) {
      for (const [key, child] of Object.entries(value)) {
        visitAdd(
          `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          child,
        );
      }
      return;
    }
    out.push({ op: 'add', path, value });
  };
  for (const operation of operations) {
    if (operation.op === 'add') visitAdd(operation.path, operation.value);
    else out.push(operation);
  }
  return out;
}

/**
 * Applies the fixes in order; see the file comment for what is checked.
 *
 * @public
 */
export function editManifestText(
  text: string,
  fixes: readonly EditableFix[],
  options: EditOptions = {},
): EditResult {
  const isNamespaced =
    options.isNamespaced ?? ((kind: string) => !CLUSTER_KINDS.has(kind));
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const result: EditResult = { text, applied: [], refused: [] };
  const refuse = (fix: EditableFix, reason: string) =>
    result.refused.push({ fix, reason });

  const original = parse(text);
  const problem = parseErrors(original);
  if (problem) {
    for (const fix of fixes) refuse(fix, `the file does not parse: ${problem}`);
    return result;
  }
  // What each document must read as once the fixes are in.
  const expected: unknown[] = original.map(d => d.toJS());

  const matches = (object: unknown, ref: ResourceRef): boolean => {
    if (!isRecord(object) || object.kind !== ref.kind) return false;
    const meta = object.metadata;
    if (!isRecord(meta) || meta.name !== ref.name) return false;
    if (!isNamespaced(ref.kind)) return true;
    const ns =
      typeof meta.namespace === 'string' && meta.namespace
        ? meta.namespace
        : defaultNamespace;
    return ns === (ref.namespace ?? defaultNamespace);
  };
  const find = (ref: ResourceRef): number[] =>
    expected.flatMap((object, i) => (matches(object, ref) ? [i] : []));

  /** The text if every document reads as expected, else why not. */
  const verified = (candidate: string): string | undefined => {
    const docs = parse(candidate);
    const error = parseErrors(docs);
    if (error) return `the edit would not parse (${error})`;
    if (docs.length !== expected.length)
      return 'the edit would change the documents';
    for (let i = 0; i < docs.length; i++) {
      if (!sameJson(docs[i].toJS(), expected[i])) {
        return 'the edited text would not read as the patched object';
      }
    }
    return undefined;
  };

  for (const fix of fixes) {
    if (fix.kind !== 'patch') continue;
    const found = find(fix.target);
    if (found.length !== 1) {
      refuse(
        fix,
        found.length === 0
          ? `${fix.target.kind} ${fix.target.name} is not in this file`
          : `${fix.target.kind} ${fix.target.name} is in this file ${found.length} times`,
      );
      continue;
    }
    const index = found[0];
    const before = expected[index];
    const operations = normalize(before, fix.operations);
    let candidate = result.text;
    try {
      for (const operation of operations) {
        const doc = parse(candidate)[index];
        candidate = spliceOperation(
          candidate,
          doc,
          operation,
          layoutOf(doc, candidate),
        );
      }
    } catch (error) {
      if (!(error instanceof YamlEditError)) throw error;
      refuse(fix, `cannot edit it in place: ${error.message}`);
      continue;
    }
    expected[index] = applyJsonPatch(before, operations);
    const why = verified(candidate);
    if (why) {
      expected[index] = before;
      refuse(fix, why);
      continue;
    }
    result.text = candidate;
    result.applied.push(fix);
  }

  for (const fix of fixes) {
    if (fix.kind !== 'create') continue;
    const object = fix.object;
    const ref: ResourceRef = {
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
    };
    if (find(ref).length > 0) {
      refuse(fix, `${ref.kind} ${ref.name} is already in this file`);
      continue;
    }
    const docs = parse(result.text);
    const besides = fix.besides ? find(fix.besides) : [];
    const after = besides.length === 1 ? besides[0] : docs.length - 1;
    const next = docs[after + 1];
    const at = next?.range ? next.range[0] : result.text.length;
    const head = result.text.slice(0, at);
    const layout =
      docs.length > 0
        ? layoutOf(docs[after], result.text)
        : { indentSeq: false };
    const body = toYamlInLayout(object, layout);
    const inserted =
      (head.length > 0 && !head.endsWith('\n') ? '\n' : '') +
      (head.trim().length > 0 ? '---\n' : '') +
      body;
    const candidate = head + inserted + result.text.slice(at);
    expected.splice(after + 1, 0, structuredClone(object));
    const why = verified(candidate);
    if (why) {
      expected.splice(after + 1, 1);
      refuse(fix, why);
      continue;
    }
    result.text = candidate;
    result.applied.push(fix);
  }
  return result;
}

function toYamlInLayout(object: unknown, layout: Layout): string {
  return stringify(object, {
    lineWidth: 0,
    indentSeq: layout.indentSeq,
    aliasDuplicateObjects: false,
  });
}

/**
 * Whether a fix is one the editor applies (a JSON Patch or a new object).
 *
 * @public
 */
export function isEditableFix(fix: FixSuggestion): fix is EditableFix {
  return (
    fix.kind === 'create' ||
    (fix.kind === 'patch' && fix.format === 'json-patch')
  );
}
