/*
 * Applies fixes to a manifest file's text, editing only what each fix
 * changes (yaml-splice.ts), one document at a time, and checking every edit:
 * the document must parse to exactly the objects the fixes describe (the
 * patched object equal to the JSON Patch applied to it), and the whole file
 * to every document as expected, the others unchanged. A fix that
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
 * A manifest file cut into its documents: each slice runs from its `---` (or
 * the file's start) to the next one, and parses alone to its object.
 *
 * @public
 */
export interface ManifestDocuments {
  slices: string[];
  objects: unknown[];
}

/**
 * The file's documents, or why it cannot be cut (it does not parse, or a
 * document does not read alone as it does in the file).
 *
 * @public
 */
export function splitManifest(text: string): ManifestDocuments | string {
  const docs = parse(text);
  const problem = parseErrors(docs);
  if (problem) return `the file does not parse: ${problem}`;
  const slices: string[] = [];
  const objects: unknown[] = [];
  for (let i = 0; i < docs.length; i++) {
    const start = i === 0 ? 0 : docs[i].range?.[0] ?? 0;
    const end =
      i + 1 < docs.length ? docs[i + 1].range?.[0] ?? text.length : text.length;
    const slice = text.slice(start, end);
    const object = docs[i].toJS();
    const alone = parse(slice);
    if (alone.length !== 1 || !sameJson(alone[0].toJS(), object)) {
      return `document ${i + 1} does not read alone as it does in the file`;
    }
    slices.push(slice);
    objects.push(object);
  }
  return { slices, objects };
}

/**
 * Applies the fixes in order, document by document; see the file comment
 * for what is checked.
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

  const split = splitManifest(text);
  if (typeof split === 'string') {
    for (const fix of fixes) refuse(fix, split);
    return result;
  }
  // Per document, what its slice must read as once the fixes are in: its
  // object, then the objects added after it.
  const slices = split.slices.slice();
  const expected: unknown[][] = split.objects.map(o => [o]);

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
  /** Documents holding the object (as read, or added by a fix). */
  const find = (ref: ResourceRef): number[] =>
    expected.flatMap((objects, i) =>
      objects.some(o => matches(o, ref)) ? [i] : [],
    );
  /** Why the slice does not read as `objects`, or undefined when it does. */
  const mismatch = (slice: string, objects: unknown[]): string | undefined => {
    const docs = parse(slice);
    const error = parseErrors(docs);
    if (error) return `the edit would not parse (${error})`;
    if (docs.length !== objects.length) {
      return 'the edit would change the documents';
    }
    return docs.every((d, i) => sameJson(d.toJS(), objects[i]))
      ? undefined
      : 'the edited text would not read as the patched object';
  };

  for (const fix of fixes) {
    if (fix.kind !== 'patch') continue;
    const found = find(fix.target).filter(i =>
      matches(expected[i][0], fix.target),
    );
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
    const before = expected[index][0];
    const operations = normalize(before, fix.operations);
    let candidate = slices[index];
    try {
      for (const operation of operations) {
        const doc = parse(candidate)[0];
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
    const objects = [
      applyJsonPatch(before, operations),
      ...expected[index].slice(1),
    ];
    const why = mismatch(candidate, objects);
    if (why) {
      refuse(fix, why);
      continue;
    }
    slices[index] = candidate;
    expected[index] = objects;
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
    const besides = fix.besides
      ? find(fix.besides).filter(i => matches(expected[i][0], fix.besides!))
      : [];
    const after =
      besides.length === 1 ? besides[0] : Math.max(0, slices.length - 1);
    const slice = slices[after] ?? '';
    const layout =
      slice.trim().length > 0
        ? layoutOf(parse(slice)[0], slice)
        : { indentSeq: false };
    const candidate =
      slice +
      (slice.length > 0 && !slice.endsWith('\n') ? '\n' : '') +
      (slice.trim().length > 0 ? '---\n' : '') +
      toYamlInLayout(object, layout);
    const objects = [...(expected[after] ?? []), structuredClone(object)];
    const why = mismatch(candidate, objects);
    if (why) {
      refuse(fix, why);
      continue;
    }
    slices[after] = candidate;
    expected[after] = objects;
    result.applied.push(fix);
  }

  // The whole file once more: every document as expected, in order.
  const final = slices.join('');
  const why = mismatch(final, expected.flat());
  if (why) {
    for (const fix of result.applied) refuse(fix, why);
    result.applied = [];
    return result;
  }
  result.text = final;
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
